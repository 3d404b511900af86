import { createWriteQueue } from '../src';

/** A write that finishes when the test says so, recording when it started. */
function gatedWrite(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  return { op: async () => (started.push(name), await done, name), finish };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('write queue', () => {
  it('when more writes are asked for than the concurrency, then the others wait and start in the order they were asked for', async () => {
    const queue = createWriteQueue(1);
    const started: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((n) => gatedWrite(started, n));
    const results = [queue.run(a!.op), queue.run(b!.op), queue.run(c!.op)];
    await tick();
    expect(started).toEqual(['a']);
    expect(queue.waiting()).toBe(2);
    a!.finish();
    await tick();
    expect(started).toEqual(['a', 'b']);
    b!.finish();
    c!.finish();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c']);
    expect(queue.waiting()).toBe(0);
  });

  it('when the concurrency is 2, then two writes run side by side and a third waits for one of them', async () => {
    const queue = createWriteQueue(2);
    const started: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((n) => gatedWrite(started, n));
    const results = [queue.run(a!.op), queue.run(b!.op), queue.run(c!.op)];
    await tick();
    expect(started).toEqual(['a', 'b']);
    b!.finish();
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    a!.finish();
    c!.finish();
    await Promise.all(results);
  });

  it('when a write fails, then its caller gets the error and the next write still gets its turn', async () => {
    const queue = createWriteQueue(1);
    const failing = queue.run(async () => Promise.reject(new Error('refused')));
    const next = queue.run(async () => 'next');
    await expect(failing).rejects.toThrow('refused');
    await expect(next).resolves.toBe('next');
  });

  it('when the concurrency is not a positive integer, then the queue is refused', () => {
    expect(() => createWriteQueue(0)).toThrow(/positive integer/);
  });
});
