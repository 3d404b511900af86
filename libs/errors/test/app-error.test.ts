import { AppError } from '../src';

describe('AppError', () => {
  it('when a validation error is created, then it maps to 400, is not retriable and carries field details', () => {
    const e = AppError.validation('bad input', [{ field: 'name', message: 'required' }]);
    expect(e.status).toBe(400);
    expect(e.retriable).toBe(false);
    expect(e.toBody()).toEqual({
      error: { code: 'validation_failed', message: 'bad input', details: [{ field: 'name', message: 'required' }] },
    });
  });

  it('when a dependency is unavailable, then the error is retriable, 503 and keeps its cause out of the body', () => {
    const cause = new Error('ECONNREFUSED 127.0.0.1:9092');
    const e = AppError.unavailable('kafka', cause);
    expect(e.status).toBe(503);
    expect(e.retriable).toBe(true);
    expect(e.cause).toBe(cause);
    expect(JSON.stringify(e.toBody())).not.toContain('ECONNREFUSED');
  });
});
