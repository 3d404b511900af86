import { isBusyError, withBusyRetry } from '../src';

const busy = () => new Error('(SQLITE_BUSY) database is locked');

describe('busy retry', () => {
  it('when a write fails with SQLITE_BUSY a few times, then it is repeated until it succeeds', async () => {
    const op = jest.fn<Promise<string>, []>().mockRejectedValueOnce(busy()).mockRejectedValueOnce(new Error('database is locked')).mockResolvedValue('done');
    await expect(withBusyRetry(op)).resolves.toBe('done');
    expect(op).toHaveBeenCalledTimes(3);
  });

  it('when a write fails for another reason (duplicate key, network), then it is not repeated', async () => {
    const duplicate = Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
    const op = jest.fn<Promise<string>, []>().mockRejectedValue(duplicate);
    await expect(withBusyRetry(op)).rejects.toBe(duplicate);
    expect(op).toHaveBeenCalledTimes(1);
  });

  it('when the engine stays busy, then it gives up after the given attempts with the busy error', async () => {
    const op = jest.fn<Promise<string>, []>().mockRejectedValue(busy());
    await expect(withBusyRetry(op, 3)).rejects.toThrow(/SQLITE_BUSY/);
    expect(op).toHaveBeenCalledTimes(3);
  });

  it('when classifying errors, then only SQLite busy messages count as busy', () => {
    expect(isBusyError(busy())).toBe(true);
    expect(isBusyError(new Error('Database Is Locked'))).toBe(true);
    expect(isBusyError(new Error('connection reset'))).toBe(false);
    expect(isBusyError('SQLITE_BUSY')).toBe(false);
  });
});
