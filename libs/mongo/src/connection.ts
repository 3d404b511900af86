import type { Logger } from '@lm/logger';
import mongoose, { Connection } from 'mongoose';

export interface MongoOptions {
  uri: string;
  /** Database name; overrides the one in the URI (tests use one database per file). */
  dbName: string;
  logger: Logger;
  serverSelectionTimeoutMs?: number;
}

/**
 * One dedicated connection per service (not mongoose's global one), so tests can open
 * several side by side. Works on MongoDB and on FerretDB: no transactions, no sessions.
 */
export async function connectMongo(opts: MongoOptions): Promise<Connection> {
  const conn = mongoose.createConnection(opts.uri, {
    dbName: opts.dbName,
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMs ?? 5_000,
    // FerretDB v1 builds indexes synchronously and has no `autoIndex` quirks; create them explicitly.
    autoIndex: false,
    autoCreate: true,
  });
  conn.on('disconnected', () => opts.logger.warn({ component: 'mongo' }, 'disconnected'));
  conn.on('reconnected', () => opts.logger.info({ component: 'mongo' }, 'reconnected'));
  try {
    await conn.asPromise();
  } catch (e) {
    await conn.close().catch(() => undefined);
    const where = opts.uri.replace(/\/\/[^@/]*@/, '//***@');
    throw new Error(`cannot reach MongoDB at ${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return conn;
}

/** Readiness: a `ping` round-trip. */
export async function pingMongo(conn: Connection): Promise<void> {
  if (!conn.db) throw new Error('not connected');
  await conn.db.admin().command({ ping: 1 });
}

/** True for a duplicate-key error (E11000) on MongoDB and FerretDB. */
export function isDuplicateKeyError(
  e: unknown,
): e is { code: number; keyPattern?: Record<string, unknown>; keyValue?: Record<string, unknown>; message: string } {
  return typeof e === 'object' && e !== null && (e as { code?: number }).code === 11000;
}
