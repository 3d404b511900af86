import { AppError, ErrorDetail } from '@lm/errors';
import type { z } from 'zod';

/** zod issues → the field-level details of a 400 body. */
export function zodDetails(issues: readonly z.core.$ZodIssue[], prefix?: string): ErrorDetail[] {
  return issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: i.message,
    code: i.code,
  }));
}

/**
 * Parses untrusted input (a body, query or Kafka payload) or throws a 400 AppError naming
 * every bad field. `where` prefixes the field paths ("body", "query", "params").
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw AppError.validation(`invalid ${where ?? 'input'}`, zodDetails(result.error.issues, where));
}
