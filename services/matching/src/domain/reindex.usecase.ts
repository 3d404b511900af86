import type { OrganisationEvent } from '@lm/contracts';
import { AppError } from '@lm/errors';
import type { Logger } from '@lm/logger';
import { randomUUID } from 'crypto';
import type { OrganisationIndexPort } from './matching.ports';
import { writeForEvent } from './organisation-doc';

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

/** Low and high watermark per partition. */
export type Watermarks = Map<number, { low: bigint; high: bigint }>;

/** One reindex's view of the organisations topic (the adapter: src/data/organisation-topic.replay.ts). */
export interface ReplayRun {
  watermarks(): Promise<Watermarks>;
  /** Reads each partition from `from` up to `to` (exclusive); `onBatch` gets the valid events and how many messages were read. */
  replay(from: Map<number, bigint>, to: Map<number, bigint>, onBatch: (events: OrganisationEvent[], read: number) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}
export interface TopicReplayPort {
  open(runId: string): Promise<ReplayRun>;
}

export interface ReindexOptions {
  topic: TopicReplayPort;
  index: OrganisationIndexPort;
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
    const { topic, index, logger } = this.opts;
    const log = logger.child({ component: 'reindex', jobId: job.jobId });
    const run = await topic.open(job.jobId);
    try {
      const offsets = await run.watermarks();
      const low = new Map([...offsets].map(([p, o]) => [p, o.low]));
      const high = new Map([...offsets].map(([p, o]) => [p, o.high]));
      job.totalMessages = [...offsets.values()].reduce((sum, o) => sum + Number(o.high - o.low), 0);
      await index.createConcreteIndex(job.newIndex, false, { bulkLoad: true });
      index.mirrorWritesTo(job.newIndex);
      log.info({ newIndex: job.newIndex, totalMessages: job.totalMessages, partitions: offsets.size }, 'reindex started');
      await this.replay(job, run, low, high, log);
      await index.endBulkLoad(job.newIndex);
      job.previousIndices = await index.swapAlias(job.newIndex);
      index.stopMirroring(job.newIndex);
      // Other instances' live consumers wrote to the old index only until the swap: replay what
      // the topic received since the watermarks were captured (external versions make repeats harmless).
      await this.catchUp(job, run, high, log);
      await index.deleteIndices(job.previousIndices);
      job.progress = 100;
      log.info({ newIndex: job.newIndex, deleted: job.previousIndices, processed: job.processedMessages }, 'reindex done, alias swapped');
    } finally {
      await run.close();
    }
  }

  /** Replays the messages from `from` (per partition) up to the current high watermarks into the new index. */
  private async catchUp(job: ReindexJob, run: ReplayRun, from: Map<number, bigint>, log: Logger): Promise<void> {
    const now = new Map([...(await run.watermarks())].map(([p, o]) => [p, o.high]));
    const messages = [...now].reduce((sum, [p, high]) => sum + Math.max(0, Number(high - (from.get(p) ?? 0n))), 0);
    if (!messages) return;
    log.info({ messages }, 'reindex catching up with writes since the watermarks');
    await this.replay(job, run, from, now, log);
  }

  private async replay(job: ReindexJob, run: ReplayRun, from: Map<number, bigint>, to: Map<number, bigint>, log: Logger): Promise<void> {
    let lastLogged = -1;
    await run.replay(from, to, async (events, read) => {
      for (let i = 0; i < events.length; i += REPLAY_BULK_DOCS) {
        await this.opts.index.bulkWrite(events.slice(i, i + REPLAY_BULK_DOCS).map(writeForEvent), job.newIndex, { mirror: false });
      }
      job.processedMessages += read;
      job.progress = job.totalMessages ? Math.min(99, Math.floor((job.processedMessages / job.totalMessages) * 100)) : 99;
      if (job.progress >= lastLogged + 10) {
        lastLogged = job.progress;
        log.info({ progress: job.progress, processed: job.processedMessages, total: job.totalMessages }, `reindex ${job.progress}%`);
      }
    });
  }
}
