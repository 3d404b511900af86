import loadHighs from 'highs';
import type { LpSolution, LpSolver } from '../domain/scheduler';

/**
 * HiGHS (WebAssembly build of the Edinburgh LP/MIP solver) behind the scheduler's {@link LpSolver}
 * port. Loading compiles the WebAssembly module once (asynchronous); each solve is synchronous and
 * disposes its native model before returning, so a worker thread can solve many in a row.
 */
export async function createHighsLpSolver(): Promise<LpSolver> {
  const highs = await loadHighs();
  const { modelStatus, objectiveSense } = highs.constants;
  return (lp, timeLimitMs) =>
    highs.withModel(
      {
        numCols: lp.numCols,
        numRows: lp.numRows,
        sense: objectiveSense.maximize,
        colCost: lp.colCost,
        colLower: new Float64Array(lp.numCols),
        colUpper: lp.colUpper,
        rowLower: new Float64Array(lp.numRows).fill(-highs.infinity),
        rowUpper: lp.rowUpper,
        matrix: { format: 'csc', numRows: lp.numRows, numCols: lp.numCols, starts: lp.colStarts, indices: lp.rowIndex, values: lp.values },
      },
      (model) => {
        model.options.set({ output_flag: false, time_limit: Math.max(0.001, timeLimitMs / 1000) });
        model.run();
        const status = model.getModelStatus();
        // An empty model (nothing can meet) is solved by presolve alone.
        const outcome: LpSolution['status'] =
          status === modelStatus.optimal || status === modelStatus.empty ? 'optimal' : status === modelStatus.timeLimit ? 'time_limit' : 'failed';
        return { status: outcome, rowDual: model.getSolution().rowDual };
      },
    );
}
