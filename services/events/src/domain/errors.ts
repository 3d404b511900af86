import { AppError } from '@lm/errors';

/** Repositories translate a unique-key clash into this; use cases turn it into a friendly 409. */
export function isDuplicate(e: unknown): boolean {
  return e instanceof AppError && e.code === 'duplicate';
}
