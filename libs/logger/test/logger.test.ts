import { Writable } from 'stream';
import { createLogger } from '../src';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('when a line is logged, then it is JSON with the service name, a textual level and an ISO time', () => {
    const { lines, stream } = capture();
    createLogger({ service: 'profiles', destination: stream }).info({ requestId: 'r-1' }, 'hello');
    expect(lines[0]).toMatchObject({ service: 'profiles', level: 'info', requestId: 'r-1', msg: 'hello' });
    expect(String(lines[0]!.time)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('when a request with a bearer token or a secret is logged, then the values are redacted', () => {
    const { lines, stream } = capture();
    createLogger({ service: 's', destination: stream }).info(
      { req: { headers: { authorization: 'Bearer abc.def.ghi' } }, user: { password: 'p4ss', token: 't0k' } },
      'req',
    );
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('abc.def.ghi');
    expect(text).not.toContain('p4ss');
    expect(text).not.toContain('t0k');
    expect(text).toContain('[redacted]');
  });
});
