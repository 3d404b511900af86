/**
 * FerretDB's SQLite backend answers concurrent writes with "database is locked (SQLITE_BUSY)"
 * instead of waiting; MongoDB never does. Such a write did not happen, so repeating it is safe.
 */
export function isBusyError(e: unknown): boolean {
  const message = e instanceof Error ? e.message : '';
  return /SQLITE_BUSY|database is locked/i.test(message);
}

/** Runs `op`, repeating it (jittered back-off, at most `attempts` tries) only while it fails with a busy error. */
export async function withBusyRetry<T>(op: () => Promise<T>, attempts = 8): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await op();
    } catch (e) {
      if (!isBusyError(e) || n >= attempts) throw e;
      await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** n) * (0.5 + Math.random())));
    }
  }
}
