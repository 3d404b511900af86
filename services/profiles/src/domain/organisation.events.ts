import { ORGANISATION_EVENT_TYPES, Organisation, OrganisationDeleted, OrganisationUpserted, makeEnvelope, toPublicOrganisation } from '@lm/contracts';

export const EVENT_SOURCE = 'profiles';

/**
 * The event is built and serialised at write time and stored with the change: the bytes a
 * consumer receives for version N are fixed once, so two different snapshots can never be
 * published under one version, however often the relay retries. The envelope id is derived
 * from (organisation, version) so a consumer can also deduplicate on it.
 */
export function upsertedEvent(org: Organisation): string {
  const envelope: OrganisationUpserted = makeEnvelope({
    type: ORGANISATION_EVENT_TYPES.upserted,
    id: `${org.id}:v${org.version}`,
    key: org.id,
    source: EVENT_SOURCE,
    occurredAt: org.updatedAt,
    data: { organisation: toPublicOrganisation(org), version: org.version },
  }) as OrganisationUpserted;
  return JSON.stringify(envelope);
}

export function deletedEvent(id: string, version: number, deletedAt: string): string {
  const envelope: OrganisationDeleted = makeEnvelope({
    type: ORGANISATION_EVENT_TYPES.deleted,
    id: `${id}:v${version}`,
    key: id,
    source: EVENT_SOURCE,
    occurredAt: deletedAt,
    data: { id, version, deletedAt },
  }) as OrganisationDeleted;
  return JSON.stringify(envelope);
}
