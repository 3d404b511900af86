import { uniqueName, waitFor } from '../src';

describe('testing helpers', () => {
  it('when a probe becomes true after a few tries, then waitFor resolves with its value', async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? n : undefined), { intervalMs: 5 })).resolves.toBe(3);
  });

  it('when a probe never succeeds, then waitFor fails naming the condition and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('broker down');
        },
        { timeoutMs: 50, intervalMs: 5, description: 'the topic' },
      ),
    ).rejects.toThrow(/waiting for the topic: last error: broker down/);
  });

  it('when two names are made with one prefix, then they differ and stay lowercase', () => {
    const a = uniqueName('Topic');
    expect(a).not.toBe(uniqueName('Topic'));
    expect(a).toMatch(/^topic-[a-z0-9]+-[a-f0-9]{6}$/);
  });
});
