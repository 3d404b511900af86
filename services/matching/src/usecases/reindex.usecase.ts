import { OrganisationEvent } from '@lm/contracts';
import { AppError } from '@lm/errors';
import type { Logger } from '@lm/logger';
import { randomUUID } from 'crypto';
import type { Kafka } from 'kafkajs';
import type { OrganisationIndex } from '../data/organisation.index';
import { writeForEvent } from '../domain/organisation-doc';

/** Bytes fetched per partition at once during a replay (kafkajs default: 1 MB). */
const REPLAY_FETCH_BYTES = 8 * 1024 * 1024;
/** Documents per `_bulk` during a replay (~2–5 MB of organisation documents). */
const REPLAY_BULK_DOCS = 2_000;

export type ReindexState = 'running' | 'succeeded' | 'failed';

export interface ReindexJob {
  jobId: string;
  state: ReindexState;
  newIndex: string;
  previousIndices: string[];
  totalMessages: number;
  processedMessages: number;
  progress: number;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

export interface ReindexOptions {
  kafka: Kafka;
  topic: string;
  /** A fresh consumer group per job: `<prefix>-reindex-<jobId>`. */
  groupPrefix: string;
  index: OrganisationIndex;
  logger: Logger;
}

/**
 * Rebuilds the organisations index from the topic: captures the high watermarks, creates a new
 * concrete index, replays the topic from the beginning with a fresh consumer group until every
 * partition reaches its watermark, then swaps the alias atomically and deletes the old index.
 * Meanwhile the live consumer keeps writing through the alias AND into the new index (mirror),
 * so events arriving during the rebuild are in both; external versions make the order of the
 * two writers irrelevant.
 */
export class ReindexJobs {
  private readonly jobs = new Map<string, ReindexJob>();
  private running?: string;

  constructor(private readonly opts: ReindexOptions) {}

  get(jobId: string): ReindexJob {
    const job = this.jobs.get(jobId);
    if (!job) throw AppError.notFound(`reindex job ${jobId}`);
    return { ...job };
  }

  /** Starts a job in the background; one at a time. */
  start(): ReindexJob {
    if (this.running) throw new AppError('conflict', `reindex ${this.running} is already running`);
    const jobId = randomUUID();
    const job: ReindexJob = {
      jobId,
      state: 'running',
      newIndex: this.opts.index.newIndexName(),
      previousIndices: [],
      totalMessages: 0,
      processedMessages: 0,
      progress: 0,
      startedAt: new Date().toISOString(),
    };
    this.jobs.set(jobId, job);
    this.running = jobId;
    void this.run(job)
      .then(() => {
        job.state = 'succeeded';
      })
      .catch((e: unknown) => {
        job.state = 'failed';
        job.error = e instanceof Error ? e.message : String(e);
        this.opts.logger.error({ jobId, err: e }, 'reindex failed');
        this.opts.index.stopMirroring(job.newIndex);
        return this.opts.index.deleteIndices([job.newIndex]).catch(() => undefined);
      })
      .finally(() => {
        job.finishedAt = new Date().toISOString();
        this.running = undefined;
      });
    return { ...job };
  }

  /** Resolves when the job is no longer running (tests, graceful stop). */
  async waitFor(jobId: string, timeoutMs = 120_000): Promise<ReindexJob> {
    const deadline = Date.now() + timeoutMs;
    while (this.get(jobId).state === 'running') {
      if (Date.now() > deadline) throw new Error(`reindex ${jobId} still running after ${timeoutMs}ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return this.get(jobId);
  }

  private async run(job: ReindexJob): Promise<void> {
    const { kafka, topic, index, logger } = this.opts;
    const log = logger.child({ component: 'reindex', jobId: job.jobId });
    const admin = kafka.admin();
    await admin.connect();
    const groupId = `${this.opts.groupPrefix}-reindex-${job.jobId}`;
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      const high = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
      job.totalMessages = offsets.reduce((sum, o) => sum + Number(BigInt(o.high) - BigInt(o.low)), 0);
      await index.createConcreteIndex(job.newIndex, false, { bulkLoad: true });
      index.mirrorWritesTo(job.newIndex);
      log.info({ newIndex: job.newIndex, totalMessages: job.totalMessages, partitions: offsets.length }, 'reindex started');
      const pending = new Set(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => o.partition));
      if (pending.size) await this.replay(job, groupId, high, pending, log);
      await index.endBulkLoad(job.newIndex);
      job.previousIndices = await index.swapAlias(job.newIndex);
      index.stopMirroring(job.newIndex);
      // Other instances' live consumers wrote to the old index only until the swap: replay what
      // the topic received since the watermarks were captured (external versions make repeats harmless).
      await this.catchUp(job, admin, `${groupId}-catchup`, high, log);
      await index.deleteIndices(job.previousIndices);
      job.progress = 100;
      log.info({ newIndex: job.newIndex, deleted: job.previousIndices, processed: job.processedMessages }, 'reindex done, alias swapped');
    } finally {
      await admin.deleteGroups([groupId, `${groupId}-catchup`]).catch(() => undefined);
      await admin.disconnect();
    }
  }

  /** Replays the messages from `from` (per partition) up to the current high watermarks into the new index. */
  private async catchUp(job: ReindexJob, admin: ReturnType<Kafka['admin']>, groupId: string, from: Map<number, bigint>, log: Logger): Promise<void> {
    const now = await admin.fetchTopicOffsets(this.opts.topic);
    const high = new Map(now.map((o) => [o.partition, BigInt(o.high)]));
    const pending = new Set(now.filter((o) => BigInt(o.high) > (from.get(o.partition) ?? 0n)).map((o) => o.partition));
    if (!pending.size) return;
    await admin.setOffsets({ groupId, topic: this.opts.topic, partitions: now.map((o) => ({ partition: o.partition, offset: String(from.get(o.partition) ?? 0n) })) });
    log.info({ messages: now.reduce((sum, o) => sum + Number(BigInt(o.high) - (from.get(o.partition) ?? 0n)), 0) }, 'reindex catching up with writes since the watermarks');
    await this.replay(job, groupId, high, pending, log);
  }

  /**
   * Replays up to the watermarks into the new index. Bulk sizing: each partition's fetch is up to
   * `REPLAY_FETCH_BYTES` (thousands of messages), written as one `_bulk` per `REPLAY_BULK_DOCS`;
   * the partitions are replayed concurrently, so Elasticsearch always has a bulk to work on while
   * the next one is fetched and parsed.
   */
  private async replay(job: ReindexJob, groupId: string, high: Map<number, bigint>, pending: Set<number>, log: Logger): Promise<void> {
    const consumer = this.opts.kafka.consumer({ groupId, maxBytesPerPartition: REPLAY_FETCH_BYTES, maxBytes: 4 * REPLAY_FETCH_BYTES });
    let lastLogged = -1;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.opts.topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            partitionsConsumedConcurrently: high.size,
            eachBatch: async ({ batch, heartbeat }) => {
              const limit = high.get(batch.partition) ?? 0n;
              if (!pending.has(batch.partition)) return;
              const within = batch.messages.filter((m) => BigInt(m.offset) < limit);
              const events = within.flatMap((m) => {
                // Poison messages were dead-lettered by the live consumer; a replay skips them.
                try {
                  const parsed = OrganisationEvent.safeParse(JSON.parse(m.value?.toString('utf8') ?? 'null'));
                  return parsed.success ? [parsed.data] : [];
                } catch {
                  return [];
                }
              });
              for (let i = 0; i < events.length; i += REPLAY_BULK_DOCS) {
                await this.opts.index.bulkWrite(events.slice(i, i + REPLAY_BULK_DOCS).map(writeForEvent), job.newIndex, { mirror: false });
                await heartbeat();
              }
              job.processedMessages += within.length;
              job.progress = job.totalMessages ? Math.min(99, Math.floor((job.processedMessages / job.totalMessages) * 100)) : 99;
              if (job.progress >= lastLogged + 10) {
                lastLogged = job.progress;
                log.info({ progress: job.progress, processed: job.processedMessages, total: job.totalMessages }, `reindex ${job.progress}%`);
              }
              const last = batch.messages[batch.messages.length - 1];
              if (last && BigInt(last.offset) >= limit - 1n) pending.delete(batch.partition);
              if (!pending.size) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
  }
}
