import { ensureDevKeys, signToken, type Principal } from '@lm/auth';
import { buildServices, startService, stopService, testEndpoints, uniqueName, waitReady, type RunningService, type ServiceName } from '@lm/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';

/** Names only this run uses: nothing collides with other test files or a running `npm start`. */
export function systemNames() {
  return {
    topics: {
      organisations: uniqueName('e2e-organisations'),
      suggestions: uniqueName('e2e-suggestions'),
      meetings: uniqueName('e2e-meetings'),
    },
    databases: { profiles: uniqueName('e2e-profiles'), events: uniqueName('e2e-events') },
    alias: uniqueName('e2e-organisations'),
    searchIndex: uniqueName('e2e-profiles-search'),
    groups: {
      matching: uniqueName('e2e-matching'),
      eventsOrganisations: uniqueName('e2e-events-organisations'),
      eventsSuggestions: uniqueName('e2e-events-suggestions'),
      partner: uniqueName('e2e-partner'),
    },
  };
}
export type SystemNames = ReturnType<typeof systemNames>;

function serviceEnv(names: SystemNames): Record<ServiceName, Record<string, string>> {
  const ep = testEndpoints();
  const common = { KAFKA_BROKERS: ep.kafkaBrokers.join(','), LOG_LEVEL: 'warn', NODE_ENV: 'test', ORGANISATIONS_TOPIC: names.topics.organisations };
  return {
    profiles: {
      ...common,
      MONGODB_URI: ep.mongoUri,
      MONGODB_DB: names.databases.profiles,
      KAFKA_CLIENT_ID: 'e2e-profiles',
      ELASTICSEARCH_URL: ep.elasticsearchUrl,
      SEARCH_INDEX: names.searchIndex,
    },
    matching: {
      ...common,
      ELASTICSEARCH_URL: ep.elasticsearchUrl,
      ES_INDEX_ALIAS: names.alias,
      KAFKA_GROUP_ID: names.groups.matching,
      SUGGESTIONS_TOPIC: names.topics.suggestions,
      KAFKA_CLIENT_ID: 'e2e-matching',
    },
    events: {
      ...common,
      MONGODB_URI: ep.mongoUri,
      MONGODB_DB: names.databases.events,
      SUGGESTIONS_TOPIC: names.topics.suggestions,
      MEETINGS_TOPIC: names.topics.meetings,
      ORGANISATIONS_GROUP_ID: names.groups.eventsOrganisations,
      SUGGESTIONS_GROUP_ID: names.groups.eventsSuggestions,
      // A short scheduling budget: two participants need no long search.
      SCHEDULE_BUDGET_MS: '300',
      KAFKA_CLIENT_ID: 'e2e-events',
    },
  };
}

export interface System {
  names: SystemNames;
  services: Record<ServiceName, RunningService>;
  stop(): Promise<void>;
}

/** Builds (cache hit in CI), starts the three compiled services (each on a port the kernel picks) and waits until each is ready. */
export async function startSystem(): Promise<System> {
  await buildServices();
  const names = systemNames();
  const env = serviceEnv(names);
  const services = {} as Record<ServiceName, RunningService>;
  for (const name of ['profiles', 'matching', 'events'] as const) services[name] = startService(name, env[name]);
  const all = Object.values(services);
  const stop = async () => {
    await Promise.all(all.map(stopService));
  };
  try {
    await Promise.all(all.map((s) => waitReady(s, 45_000)));
  } catch (e) {
    await stop();
    throw e;
  }
  return { names, services, stop };
}

/** Deletes the run's Elasticsearch indices (the alias's concrete indices, top-N and feedback). */
export async function dropIndices(alias: string): Promise<void> {
  const base = testEndpoints().elasticsearchUrl;
  const res = await fetch(`${base}/_cat/indices/${alias}*?format=json&h=index`);
  if (!res.ok) return;
  const indices = ((await res.json()) as { index: string }[]).map((i) => i.index);
  if (indices.length) await fetch(`${base}/${indices.join(',')}`, { method: 'DELETE' });
}

export function tokenFor(principal: Principal): string {
  return signToken(principal, {
    privateKey: ensureDevKeys().privateKey,
    issuer: 'https://auth.lombardy-match.local',
    audience: 'lombardy-match',
    expiresInSeconds: 3600,
  });
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A tiny HTTP client: JSON in, JSON (or text) out, always with the caller's token. */
export function client(baseUrl: string, token: string) {
  return async function call<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };
}
export type Client = ReturnType<typeof client>;

export interface SeenEvent {
  type: string;
  key: string;
  data: Record<string, unknown>;
}

/** A partner system's consumer on the suggestions topic (its own group), recording every envelope. */
export async function startPartnerConsumer(topic: string, groupId: string): Promise<{ seen: SeenEvent[]; stop: () => Promise<void> }> {
  const kafka = new Kafka({ clientId: 'e2e-partner', brokers: testEndpoints().kafkaBrokers, logLevel: logLevel.NOTHING });
  const consumer: Consumer = kafka.consumer({ groupId });
  const seen: SeenEvent[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(JSON.parse(message.value!.toString()) as SeenEvent) });
  return { seen, stop: () => consumer.disconnect() };
}
