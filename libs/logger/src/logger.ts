import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line (tokens, secrets, private contacts). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.secret',
  '*.privateKey',
  'contacts',
  '*.contacts',
];

export interface CreateLoggerOptions {
  service: string;
  level?: LoggerOptions['level'];
  /** For tests: capture lines instead of writing to stdout. */
  destination?: DestinationStream;
}

/** JSON logs, one line per event, with the service name on every line. */
export function createLogger({ service, level = 'info', destination }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
