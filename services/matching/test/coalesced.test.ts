import { coalesced } from '../src/consumers/coalesced';

/** A run the test releases by hand, recording what each run received. */
function controlledRun(fail: (items: string[]) => boolean = () => false) {
  const runs: string[][] = [];
  const releases: (() => void)[] = [];
  const run = (items: string[]) => {
    runs.push(items);
    return new Promise<void>((resolve, reject) => releases.push(() => (fail(items) ? reject(new Error(`failed: ${items.join(',')}`)) : resolve())));
  };
  const releaseNext = async () => {
    await new Promise((r) => setImmediate(r));
    releases.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { run, runs, releaseNext };
}

/** The outcome of a call, observed from the start (no rejection goes unhandled meanwhile). */
const outcome = (p: Promise<void>) =>
  p.then(
    () => 'resolved',
    (e: Error) => e.message,
  );

describe('coalesced (the top-N worker merging the partitions chunks)', () => {
  it('when calls arrive while a run is in progress, then they are merged into one next run and every caller resolves', async () => {
    const { run, runs, releaseNext } = controlledRun();
    const call = coalesced(run);
    const first = call(['a']);
    const second = call(['b']);
    const third = call(['c', 'd']);
    await releaseNext();
    await first;
    await releaseNext();
    await Promise.all([second, third]);
    expect(runs).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('when a merged run fails, then each caller is run on its own and only the caller whose items fail is rejected', async () => {
    const { run, runs, releaseNext } = controlledRun((items) => items.includes('poison'));
    const call = coalesced(run);
    const first = call(['a']);
    const good = outcome(call(['b']));
    const bad = outcome(call(['poison']));
    await releaseNext();
    await first;
    await releaseNext(); // the merged run [b, poison] fails
    await releaseNext(); // [b] alone
    await releaseNext(); // [poison] alone
    expect(await good).toBe('resolved');
    expect(await bad).toBe('failed: poison');
    expect(runs).toEqual([['a'], ['b', 'poison'], ['b'], ['poison']]);
  });

  it('when a single caller run fails, then that caller is rejected and the next call starts a fresh run', async () => {
    const { run, runs, releaseNext } = controlledRun((items) => items.includes('x'));
    const call = coalesced(run);
    const failing = outcome(call(['x']));
    await releaseNext();
    expect(await failing).toBe('failed: x');
    const next = call(['y']);
    await releaseNext();
    await expect(next).resolves.toBeUndefined();
    expect(runs).toEqual([['x'], ['y']]);
  });
});
