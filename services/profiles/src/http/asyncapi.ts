import { buildAsyncApi, ORGANISATION_EVENT_TYPES, OrganisationDeleted, OrganisationUpserted } from '@lm/contracts';

/** The AsyncAPI document of the topic this instance publishes to (ORGANISATIONS_TOPIC). */
export function buildAsyncApiDocument(topic: string): unknown {
  return buildAsyncApi(
    { title: 'Profiles service events', version: '1.0.0', description: 'Every change of an organisation profile, published through the outbox.' },
    [
      {
        topic,
        key: 'organisation id',
        description:
          'organisation.upserted carries the full public snapshot and the profile version; organisation.deleted the id, version and deletion time. Per organisation the events arrive in version order; a consumer keeps the highest version it has applied and ignores an older or repeated one (at-least-once).',
        messages: { [ORGANISATION_EVENT_TYPES.upserted]: OrganisationUpserted, [ORGANISATION_EVENT_TYPES.deleted]: OrganisationDeleted },
      },
    ],
  );
}
