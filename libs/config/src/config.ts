import { z } from 'zod';

/**
 * Typed environment parsing. A service declares the variables it reads as a zod shape
 * (with defaults for local development); a bad or missing value fails start-up with a
 * message that names the variable, never with a stack trace deep in a client library.
 */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super('Invalid configuration:\n' + problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig<S extends z.ZodRawShape>(shape: S, env: Env = process.env): z.infer<z.ZodObject<S>> {
  // Empty strings mean "unset" so that `FOO= npm start` falls back to the default.
  const input: Record<string, string> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({
        variable: String(i.path[0] ?? '?'),
        message: input[String(i.path[0])] === undefined ? `${i.message} (variable is not set)` : `${i.message} (got "${input[String(i.path[0])]}")`,
      })),
    );
  }
  return result.data;
}

/** Reusable variable types. */
export const env = {
  /** 0 lets the kernel pick a free port (tests' launcher: the only race-free way to get one). */
  port: (def: number) => z.coerce.number().int().min(0).max(65535).default(def),
  int: (def: number, min = 0) => z.coerce.number().int().min(min).default(def),
  number: (def: number) => z.coerce.number().default(def),
  string: (def: string) => z.string().min(1).default(def),
  optionalString: () => z.string().min(1).optional(),
  url: (def: string) => z.string().url().default(def),
  bool: (def: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .transform((v) => v === 'true' || v === '1' || v === 'yes')
      .default(def),
  /** Comma-separated list, e.g. `KAFKA_BROKERS=a:9092,b:9092`. */
  list: (def: string) =>
    z
      .string()
      .default(def)
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string()).min(1)),
  enum: <T extends readonly [string, ...string[]]>(values: T, def: T[number]) => z.enum(values).default(def as never),
};
