import { Organisation, OrganisationInput, OrganisationPatch } from '@lm/contracts';
import { validateInput } from './organisation.validation';

const SERVER_FIELDS = ['id', 'version', 'createdAt', 'updatedAt'] as const;

/** The client-writable part of a stored organisation. */
export function clientFields(org: Organisation): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...org };
  for (const f of SERVER_FIELDS) delete copy[f];
  return copy;
}

/**
 * PATCH semantics: a present field replaces the stored one (arrays and nested objects as a
 * whole), an absent field stays. The merged result is validated with the same rules as a
 * create (kind/subtype/investor consistency included), so a patch can never produce a profile
 * a POST would refuse.
 */
export function mergePatch(existing: Organisation, patch: OrganisationPatch): OrganisationInput {
  const merged: Record<string, unknown> = { ...clientFields(existing) };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) merged[key] = value;
  }
  return validateInput(merged, 'body');
}

/** The next stored state: input fields + server fields, timestamps as ISO strings. */
export function nextState(id: string, input: OrganisationInput, previous: Pick<Organisation, 'version' | 'createdAt'> | undefined, now: Date): Organisation {
  const at = now.toISOString();
  return {
    ...input,
    id,
    version: (previous?.version ?? 0) + 1,
    createdAt: previous?.createdAt ?? at,
    updatedAt: at,
  };
}
