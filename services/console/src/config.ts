import { authEnv, env, loadConfig, serviceEnv } from '@lm/config';

export function loadConsoleConfig(source: Record<string, string | undefined> = process.env) {
  return loadConfig(
    {
      ...serviceEnv,
      ...authEnv,
      PORT: env.port(4000),
      PROFILES_URL: env.url('http://127.0.0.1:4001'),
      MATCHING_URL: env.url('http://127.0.0.1:4002'),
      EVENTS_URL: env.url('http://127.0.0.1:4003'),
      /**
       * Development sign-in: the console mints tokens with the local dev key (libs/auth).
       * Off by default; `npm start` sets it. Never set it where real users sign in.
       */
      AUTH_DEV_LOGIN: env.bool(false),
      DEV_TOKEN_TTL_SECONDS: env.int(8 * 3600, 60),
      /** The built single-page app (vite build output). */
      WEB_DIR: env.optionalString(),
    },
    source,
  );
}
export type ConsoleConfig = ReturnType<typeof loadConsoleConfig>;
