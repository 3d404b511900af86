import { Client } from '@elastic/elasticsearch';

/**
 * The 8.x client against an 8.x server. The local distribution (integ-test-zip) has no
 * `GET /`, so readiness uses cluster health instead of ping()/info().
 */
export function createElasticsearchClient(url: string): Client {
  return new Client({ node: url, requestTimeout: 30_000, maxRetries: 2 });
}

export async function pingElasticsearch(client: Client): Promise<void> {
  const health = await client.cluster.health({ timeout: '1s' });
  if (health.status === 'red') throw new Error('cluster status red');
}
