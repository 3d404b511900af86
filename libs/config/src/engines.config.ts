import { env } from './config';

/** Where the engines are. Defaults are the local engines that infra/ starts. */
export const kafkaEnv = {
  KAFKA_BROKERS: env.list('127.0.0.1:9092'),
  KAFKA_CLIENT_ID: env.optionalString(),
};

export const mongoEnv = {
  MONGODB_URI: env.string('mongodb://127.0.0.1:27017'),
};

export const elasticsearchEnv = {
  ELASTICSEARCH_URL: env.url('http://127.0.0.1:9200'),
};

export const serviceEnv = {
  NODE_ENV: env.enum(['development', 'test', 'production'] as const, 'development'),
  LOG_LEVEL: env.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  SHUTDOWN_TIMEOUT_MS: env.int(10_000, 100),
  /** Abuse limits per client (see @lm/http rate-limit): off only for load tests that need volume. */
  RATE_LIMIT_ENABLED: env.bool(true),
  RATE_LIMIT_WINDOW_MS: env.int(60_000, 1_000),
  /** 401 answers a client may get per window before every request of it is refused with 429. */
  RATE_LIMIT_FAILED_AUTH: env.int(30, 1),
  /** Calls of expensive routes (import, schedule generation, reindex) per client per window. */
  RATE_LIMIT_EXPENSIVE: env.int(20, 1),
};

export const authEnv = {
  JWT_ISSUER: env.string('https://auth.lombardy-match.local'),
  JWT_AUDIENCE: env.string('lombardy-match'),
  /** PEM public key file; defaults to the local dev key pair generated under .data/. */
  JWT_PUBLIC_KEY_FILE: env.optionalString(),
  JWT_PUBLIC_KEY: env.optionalString(),
  /**
   * Refuse high-S ES256 signatures (one claim set, one token string: deny-lists and replay caches
   * keyed on the token hold). Our issuer signs low-S; an identity provider that does not normalise
   * signs high-S half the time — set false for it and key revocation on `jti` instead.
   */
  JWT_REQUIRE_LOW_S: env.bool(true),
};
