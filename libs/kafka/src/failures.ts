import { isAppError } from '@lm/errors';

/** The error and every `cause` below it (AppError, kafkajs and driver errors all wrap). */
export function causeChain(e: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let cur = e; cur !== undefined && cur !== null && chain.length < 10; cur = (cur as { cause?: unknown }).cause) chain.push(cur);
  return chain;
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'SQLITE_BUSY',
]);
const TRANSIENT_NAMES = new Set([
  // @elastic/transport
  'ConnectionError',
  'TimeoutError',
  'NoLivingConnectionsError',
  // mongodb driver
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'PoolClearedError',
  'PoolClearedOnNetworkError',
  // kafkajs
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
]);
/** 0: the client never got an answer (the "bulk failed with 0"); 408/429/5xx: the engine is busy or down. */
const TRANSIENT_STATUS = (s: number) => s === 0 || s === 408 || s === 429 || s >= 500;

function isTransientOne(e: unknown): boolean {
  if (isAppError(e) && e.retriable) return true;
  const err = e as { name?: string; code?: string | number; message?: string; retriable?: boolean; errorLabels?: string[]; meta?: { statusCode?: number } };
  if (typeof err?.code === 'string' && TRANSIENT_CODES.has(err.code)) return true;
  if (err?.name && TRANSIENT_NAMES.has(err.name)) return true;
  if (err?.name?.startsWith('KafkaJS') && err.retriable === true) return true;
  if (err?.errorLabels?.includes('RetryableWriteError') || err?.errorLabels?.includes('ResetPool')) return true;
  // FerretDB on SQLite under concurrent writers.
  if (typeof err?.message === 'string' && /database is locked|es_rejected_execution_exception|circuit_breaking_exception/.test(err.message)) return true;
  const status = err?.meta?.statusCode;
  return typeof status === 'number' && TRANSIENT_STATUS(status);
}

/**
 * Errors worth retrying for as long as it takes: the message is fine, an engine is not (down,
 * refusing, overloaded, timing out). A retriable AppError decides for itself; otherwise any
 * error in the cause chain that looks like an engine outage makes the whole failure transient.
 */
export function isTransient(e: unknown): boolean {
  return causeChain(e).some(isTransientOne);
}

const MEMBERSHIP_LOST = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'FENCED_INSTANCE_ID']);

/**
 * The group moved on without this member (evicted after a missed session, or a rebalance):
 * the protocol error buried under kafkajs' KafkaJSNonRetriableError, or undefined.
 */
export function membershipLost(e: unknown): Error | undefined {
  return causeChain(e).find((c) => MEMBERSHIP_LOST.has((c as { type?: string })?.type ?? '')) as Error | undefined;
}

export function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
