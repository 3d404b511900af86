import { createVerifier, signToken, type Principal } from '@lm/auth';
import { Organisation, OrganisationInput } from '@lm/contracts';
import { createKafka, createEventProducer, ensureTopics, type EventProducer } from '@lm/kafka';
import { createLogger } from '@lm/logger';
import { connectMongo, type DocumentLocks } from '@lm/mongo';
import { testEndpoints, uniqueName } from '@lm/testing';
import { generateKeyPairSync } from 'crypto';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { createApp } from '../../src/app';
import { createOrganisationLocks } from '../../src/data/organisation.locks';
import { ensureOrganisationIndexes, organisationModel, type OrganisationModel } from '../../src/data/organisation.model';
import { createOrganisationRepository, type OrganisationRepository } from '../../src/data/organisation.repository';

export const logger = createLogger({ service: 'profiles-test', level: 'silent' });
const settings = { issuer: 'test-issuer', audience: 'test-audience' };
const keys = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
export const verifier = createVerifier(keys.publicKey, settings);

export function tokenFor(p: Principal): string {
  return signToken(p, { ...settings, privateKey: keys.privateKey });
}
export const bearer = (p: Principal) => `Bearer ${tokenFor(p)}`;
export const staff: Principal = { sub: 'staff-1', role: 'hub_staff' };
export const admin: Principal = { sub: 'admin-1', role: 'admin' };
export const partner: Principal = { sub: 'partner-1', role: 'partner' };
export const companyOf = (org: string): Principal => ({ sub: `user-of-${org}`, role: 'company', org });

/** A unique database per test file, indexes created, plus the app wired on it. */
export async function openDatabase(onChange?: () => void): Promise<{ conn: Connection; model: OrganisationModel; locks: DocumentLocks; repo: OrganisationRepository; app: ReturnType<typeof createApp>; close: () => Promise<void> }> {
  const conn = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('profiles-it'), logger });
  const model = organisationModel(conn);
  await ensureOrganisationIndexes(model);
  const locks = createOrganisationLocks(conn);
  const repo = createOrganisationRepository(model, locks);
  const app = createApp({ logger, verifier, readiness: {}, store: repo, onChange });
  return {
    conn,
    model,
    locks,
    repo,
    app,
    async close() {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
}

export async function openKafka(): Promise<{ kafka: Kafka; topic: string; producer: EventProducer }> {
  const kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: uniqueName('profiles-test'), logger });
  const topic = uniqueName('profiles-orgs');
  await ensureTopics(kafka, [{ topic, partitions: 3, withDlq: false }]);
  return { kafka, topic, producer: createEventProducer(kafka) };
}

let counter = 0;
/** A valid input; each call gets a distinct VAT number and website unless overridden. */
export function sampleInput(overrides: Partial<Record<keyof OrganisationInput, unknown>> = {}): Record<string, unknown> {
  counter++;
  const n = `${Date.now() % 1e6}${counter}`.padStart(11, '0').slice(-11);
  return {
    kind: 'company',
    subtype: 'startup',
    legalName: `Test Biotech ${counter} S.r.l.`,
    description: [{ lang: 'en', text: 'CAR-T manufacturing platform' }, { lang: 'it', text: 'Piattaforma di produzione CAR-T' }],
    website: `https://www.test-biotech-${counter}-${n}.it`,
    vatNumber: `IT${n}`,
    location: { province: 'MI', city: 'Milano' },
    s3Areas: ['health_life_sciences'],
    specialties: ['car_t', 'cell_therapy'],
    needs: [{ type: 'clinical_trials', title: 'Clinical partner for phase I', keywords: ['car-t'], trl: { min: 5, max: 7 } }],
    offers: [],
    languages: ['it', 'en'],
    contacts: [{ name: 'Anna Rossi', email: 'anna@example.it' }],
    ...overrides,
  };
}

export type { Organisation };
