import { startSystem, type System } from '../../../../e2e/test/support/system';
import { startService, stopService, waitReady, type RunningService } from '@lm/testing';

export { companyFixture, investorFixture, irccsFixture } from '../../../../e2e/test/support/organisations';
export { client, dropIndices, tokenFor } from '../../../../e2e/test/support/system';

export interface ConsoleSystem {
  system: System;
  console: RunningService;
  stop(): Promise<void>;
}

/**
 * The three compiled services on ports of their own, each with its own database / index / topics
 * (e2e's harness), and the compiled console in front of them with development sign-in on.
 */
export async function startConsoleSystem(): Promise<ConsoleSystem> {
  const system = await startSystem();
  const { profiles, matching, events } = system.services;
  const ui = startService('console', {
    PROFILES_URL: profiles.url,
    MATCHING_URL: matching.url,
    EVENTS_URL: events.url,
    AUTH_DEV_LOGIN: '1',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
  });
  const stop = async () => {
    await stopService(ui);
    await system.stop();
  };
  try {
    await waitReady(ui, 30_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { system, console: ui, stop };
}
