/**
 * The one error type of the system. Domain code, repositories, HTTP routes and Kafka
 * consumers all throw this; the central HTTP handler and the consumer runner read it.
 *
 * - `code`: stable, machine-readable (clients branch on it, never on `message`).
 * - `status`: the HTTP status it maps to.
 * - `retriable`: whether repeating the same operation may succeed (an engine outage)
 *   or never will (bad input) — the Kafka runner dead-letters non-retriable failures at once.
 */
export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `needs.0.trl.min`. */
  field: string;
  message: string;
  code?: string;
}

export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'duplicate'
  | 'precondition_failed'
  | 'precondition_required'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'dependency_unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  duplicate: 409,
  precondition_failed: 412,
  precondition_required: 428,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  dependency_unavailable: 503,
  internal: 500,
};

export interface AppErrorOptions {
  details?: ErrorDetail[];
  cause?: unknown;
  retriable?: boolean;
  status?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retriable: boolean;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? STATUS[code];
    this.retriable = options.retriable ?? code === 'dependency_unavailable';
    this.details = options.details ?? [];
  }

  static validation(message: string, details: ErrorDetail[] = []): AppError {
    return new AppError('validation_failed', message, { details });
  }
  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} not found`);
  }
  static forbidden(message = 'not allowed'): AppError {
    return new AppError('forbidden', message);
  }
  static unavailable(what: string, cause?: unknown): AppError {
    return new AppError('dependency_unavailable', `${what} is unavailable`, { cause, retriable: true });
  }
  /** Another request holds the document's lock: a 503 the caller repeats (it holds nothing itself). */
  static busy(what: string): AppError {
    return new AppError('dependency_unavailable', `${what} is being changed by another request, retry`, { retriable: true });
  }

  /** The public body: never includes the stack or the cause. */
  toBody(): { error: { code: ErrorCode; message: string; details: ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** A schema issue as zod reports it (path, message, code); kept structural so this package needs no zod. */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
}

/** Schema issues → the field-level details of a 400; `prefix` names where the input came from ("body", "query"). */
export function issueDetails(issues: readonly SchemaIssue[], prefix?: string): ErrorDetail[] {
  return issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: i.message,
    ...(i.code === undefined ? {} : { code: i.code }),
  }));
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
