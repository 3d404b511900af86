import { AppError } from '@lm/errors';
import { isTransient, membershipLost } from '../src/failures';

const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });

describe('engine failures vs poison messages', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['no living connections (elasticsearch)', named('NoLivingConnectionsError')],
    ['request timeout (elasticsearch)', named('TimeoutError')],
    ['5xx from elasticsearch', named('ResponseError', { meta: { statusCode: 503 } })],
    ['429 from elasticsearch', named('ResponseError', { meta: { statusCode: 429 } })],
    ['no answer at all (status 0)', named('ResponseError', { meta: { statusCode: 0 } })],
    ['mongo server selection', named('MongoServerSelectionError')],
    ['ferretdb busy', new Error('database is locked')],
    ['kafka connection', named('KafkaJSConnectionError')],
    ['a retriable AppError', AppError.unavailable('elasticsearch')],
    [
      'a non-retriable AppError caused by an outage ("bulk failed with 0")',
      new AppError('internal', 'elasticsearch bulk failed with 0', { cause: named('ConnectionError', { meta: { statusCode: 0 } }) }),
    ],
    ['a bulk item rejected for capacity', new AppError('internal', 'bulk item x: es_rejected_execution_exception rejected execution')],
  ])('when the failure is %s, then it is transient (retried until the engine is back)', (_what, e) => {
    expect(isTransient(e)).toBe(true);
  });

  it.each([
    ['a validation error', AppError.validation('bad')],
    ['a 400 from elasticsearch', named('ResponseError', { meta: { statusCode: 400 } })],
    ['a plain bug', new TypeError('x is undefined')],
  ])('when the failure is %s, then it is not transient (the message may be poison)', (_what, e) => {
    expect(isTransient(e)).toBe(false);
  });

  it('when kafkajs wraps an eviction in a non-retriable error, then the protocol error underneath is found', () => {
    const protocol = Object.assign(new Error('The coordinator is not aware of this member'), { type: 'UNKNOWN_MEMBER_ID' });
    const wrapped = Object.assign(new Error('wrapped'), { name: 'KafkaJSNonRetriableError', cause: protocol });
    expect(membershipLost(wrapped)).toBe(protocol);
    expect(membershipLost(new Error('other'))).toBeUndefined();
  });
});
