import { AppError, isAppError, issueDetails } from '@lm/errors';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';

/** Maps errors thrown by body parsing (express.json) to AppErrors. */
function fromBodyParser(err: { type?: string; status?: number; message?: string; name?: string }): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('validation_failed', 'request body is not valid JSON', { details: [{ field: 'body', message: err.message ?? 'invalid JSON' }] });
    case 'entity.too.large':
      return new AppError('payload_too_large', 'request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', err.message ?? 'unsupported encoding');
    default:
      return fromClientError(err);
  }
}

/**
 * Other 4xx errors raised before a route runs: body-parser's decompression failures (no `type`,
 * status 400) and the router's URIError for a path parameter that is not valid percent-encoding.
 * Without this they would fall through to a 500.
 */
function fromClientError(err: { status?: number; message?: string; name?: string }): AppError | undefined {
  const status = err.status;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (err.name === 'URIError') {
    return AppError.validation('request path is not valid percent-encoding', [{ field: 'path', message: err.message ?? 'invalid encoding' }]);
  }
  if (status === 400) {
    return AppError.validation('request body could not be decoded', [{ field: 'body', message: err.message ?? 'unreadable body' }]);
  }
  return new AppError(status === 415 ? 'unsupported_media_type' : 'validation_failed', 'request could not be read', { status });
}

export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  if (err instanceof ZodError) return AppError.validation('invalid input', issueDetails(err.issues));
  const parsed = typeof err === 'object' && err !== null ? fromBodyParser(err as { type?: string; status?: number }) : undefined;
  if (parsed) return parsed;
  return new AppError('internal', 'internal error', { cause: err });
}

/** The one error handler: a JSON body `{error:{code,message,details}}`, never a stack trace. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = toAppError(err);
  const log = req.log;
  if (appError.status >= 500) log?.error({ err: appError.cause ?? err, code: appError.code }, 'request failed');
  else log?.info({ code: appError.code, details: appError.details }, appError.message);
  if (res.headersSent) return;
  if (appError.code === 'unauthenticated') res.setHeader('WWW-Authenticate', 'Bearer');
  res.status(appError.status).json(appError.toBody());
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `no route for ${req.method} ${req.path}`));
};
