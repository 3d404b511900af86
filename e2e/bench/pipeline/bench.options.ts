/** The command line's options (`--n 10000 --chunk 1000 …`, see the usage line in pipeline.bench.ts), with their defaults. */
export function readOptions() {
  const n = arg('n', 10_000);
  return {
    n,
    chunk: arg('chunk', 1000),
    patches: arg('patches', 20),
    load: arg('load', 20),
    directN: arg('direct', n),
    reindexN: arg('reindex', 0),
    drainS: arg('drain', 120),
  };
}
export type BenchOptions = ReturnType<typeof readOptions>;

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
