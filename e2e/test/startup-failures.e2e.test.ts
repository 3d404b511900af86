import { buildServices, SERVICE_NAMES, startService, uniqueName, type RunningService } from '@lm/testing';

/** Runs a service until it exits by itself; returns its exit code and output. */
async function runUntilExit(service: RunningService, limitMs: number): Promise<{ code: number | null; output: string }> {
  const exited = new Promise<number | null>((resolve) => service.child.once('exit', (code) => resolve(code)));
  const timer = setTimeout(() => service.child.kill('SIGKILL'), limitMs);
  const code = await exited;
  clearTimeout(timer);
  return { code, output: service.output() };
}

// Bad configuration must give one clear line and a non-zero exit — not a hang, not a stack dump.
describe('service start-up with bad configuration', () => {
  beforeAll(() => buildServices(), 180_000);

  it.each(SERVICE_NAMES)('when the Kafka broker is unreachable, then %s exits 1 naming Kafka', async (name) => {
    const service = startService(name, {
      KAFKA_BROKERS: '127.0.0.1:1',
      STARTUP_TIMEOUT_MS: '3000',
      MONGODB_DB: uniqueName('e2e-bad'),
      ES_INDEX_ALIAS: uniqueName('e2e-bad'),
      LOG_LEVEL: 'fatal',
    });
    const { code, output } = await runUntilExit(service, 30_000);
    expect(code).toBe(1);
    expect(output).toMatch(new RegExp(`\\[${name}\\] failed to start: Kafka at 127\\.0\\.0\\.1:1 did not answer within 3000ms`));
    expect(output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
  });

  it('when a variable has a bad value, then the service exits 1 naming the variable and the value', async () => {
    const service = startService('profiles', { SHUTDOWN_TIMEOUT_MS: 'soon' });
    const { code, output } = await runUntilExit(service, 30_000);
    expect(code).toBe(1);
    expect(output).toContain('[profiles] failed to start: Invalid configuration');
    expect(output).toContain('SHUTDOWN_TIMEOUT_MS');
    expect(output).toContain('"soon"');
  });
});
