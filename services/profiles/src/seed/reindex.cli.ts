import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { loadProfilesConfig } from '../config';
import { organisationCollections } from '../data/organisation.model';
import { createElasticsearchClient, createOrganisationSearchIndex } from '../data/organisation.search-index';
import { rebuildSearchIndex } from '../data/search.rebuild';
import { createProgress } from './progress';

/** `npm run reindex -w services/profiles`: rebuilds the list/search read model (SEARCH_INDEX) from MONGODB_DB. */
async function main() {
  const config = loadProfilesConfig();
  const logger = createLogger({ service: 'profiles-reindex', level: 'error' });
  const conn = await connectMongo({ uri: config.MONGODB_URI, dbName: config.MONGODB_DB, logger, serverSelectionTimeoutMs: config.STARTUP_TIMEOUT_MS });
  const es = createElasticsearchClient(config.ELASTICSEARCH_URL);
  try {
    const index = createOrganisationSearchIndex(es, config.SEARCH_INDEX);
    await index.ensureIndex();
    const collections = organisationCollections(conn, { partitions: config.ORGANISATION_PARTITIONS });
    const progress = createProgress(`indexing ${config.MONGODB_DB} into ${config.SEARCH_INDEX} (partitions)`, collections.orgs.partitions);
    const n = await rebuildSearchIndex(collections, index, (done) => progress.update(done));
    process.stderr.write(`${n} organisations indexed\n`);
    progress.done(collections.orgs.partitions);
  } finally {
    await es.close();
    await conn.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`\nreindex failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
