import { z } from 'zod';
import { ConfigError, env, loadConfig } from '../src';

describe('loadConfig', () => {
  const shape = { PORT: env.port(4001), KAFKA_BROKERS: env.list('127.0.0.1:9092'), DEBUG: env.bool(false) };

  it('when nothing is set, then local-development defaults apply', () => {
    expect(loadConfig(shape, {})).toEqual({ PORT: 4001, KAFKA_BROKERS: ['127.0.0.1:9092'], DEBUG: false });
  });

  it('when values are set, then they are parsed into typed values', () => {
    expect(loadConfig(shape, { PORT: '5000', KAFKA_BROKERS: 'a:1, b:2', DEBUG: 'true' })).toEqual({
      PORT: 5000,
      KAFKA_BROKERS: ['a:1', 'b:2'],
      DEBUG: true,
    });
  });

  it('when a value is invalid, then the error names the variable and the bad value', () => {
    expect(() => loadConfig(shape, { PORT: 'ninety' })).toThrow(ConfigError);
    try {
      loadConfig(shape, { PORT: '70000', DEBUG: 'maybe' });
    } catch (e) {
      const err = e as ConfigError;
      expect(err.problems.map((p) => p.variable).sort()).toEqual(['DEBUG', 'PORT']);
      expect(err.message).toContain('PORT');
      expect(err.message).toContain('"70000"');
    }
    expect.assertions(4);
  });

  it('when a required variable is missing, then the message says it is not set', () => {
    expect(() => loadConfig({ SECRET: z.string() }, {})).toThrow(/SECRET: .*not set/);
  });
});
