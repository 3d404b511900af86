import { AppError, issueDetails } from '@lm/errors';
import type { z } from 'zod';

/**
 * Parses untrusted input (a body, query or Kafka payload) or throws a 400 AppError naming
 * every bad field. `where` prefixes the field paths ("body", "query", "params").
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw AppError.validation(`invalid ${where ?? 'input'}`, issueDetails(result.error.issues, where));
}
