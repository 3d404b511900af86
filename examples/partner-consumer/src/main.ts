import { createKafka } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { startPartnerConsumer } from './partner.consumer';

/** `npm start -w examples/partner-consumer` — env: KAFKA_BROKERS, PARTNER_GROUP_ID, STATE_FILE, SUGGESTIONS_TOPIC. */
async function main() {
  const logger = createLogger({ service: 'partner-consumer', level: 'info' });
  const kafka = createKafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), clientId: 'partner-consumer', logger });
  const partner = await startPartnerConsumer({
    kafka,
    groupId: process.env.PARTNER_GROUP_ID ?? 'partner-example',
    topic: process.env.SUGGESTIONS_TOPIC,
    stateFile: process.env.STATE_FILE ?? '.data/partner-consumer/state.json',
    logger,
  });
  logger.info('partner consumer running; state file is updated after every batch');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void partner.stop().then(() => process.exit(0)));
}

main().catch((e: unknown) => {
  process.stderr.write(`[partner-consumer] failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
