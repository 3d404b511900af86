import type { Principal } from '@lm/auth';
import { Organisation, OrganisationPatch, PublicOrganisation } from '@lm/contracts';
import { AppError } from '@lm/errors';
import { ListQuery, decodeCursor, encodeCursor } from './list.query';
import { deletedEvent, upsertedEvent } from './organisation.events';
import { newOrganisationId } from './organisation.keys';
import { mergePatch, nextState } from './organisation.merge';
import { assertCanCreate, assertCanModify, assertCanPatch, viewFor } from './organisation.policy';
import type { OrganisationSearch } from './organisation.search';
import type { ChangeListener, OrganisationChange, OrganisationStore } from './organisation.store';
import { validateInput } from './organisation.validation';

export interface OrganisationUseCasesDeps {
  store: OrganisationStore;
  /** The list/search read model; absent where nothing lists (seed). */
  search?: OrganisationSearch;
  onChange?: ChangeListener;
  now?: () => Date;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function preconditionFailed(id: string, current?: number): AppError {
  return new AppError('precondition_failed', `organisation ${id} has changed (version mismatch)`, {
    details: [{ field: 'If-Match', message: current === undefined ? 'stale version' : `current version is ${current}` }],
  });
}

/** HTTP, import and seed all go through these: one place for rules, versions and events. */
export function createOrganisationUseCases(deps: OrganisationUseCasesDeps) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const changed = () => deps.onChange?.();

  async function live(id: string): Promise<Organisation> {
    const found = await store.findById(id);
    if (!found || found.deletedAt) throw AppError.notFound(`organisation ${id}`);
    return found.organisation;
  }

  /** Internal create (no authorisation): validated input → version 1 + its event in one write. */
  async function createValidated(input: ReturnType<typeof validateInput>, id: string): Promise<Organisation> {
    const org = nextState(id, input, undefined, now());
    await store.insert(org, upsertedEvent(org));
    changed();
    return org;
  }

  /**
   * A change decided from the stored state, read once under the organisation's lock: missing or
   * deleted → 404, another version than the client's → 412, else `decide` (which may refuse, 403).
   */
  async function writeChecked(id: string, expectedVersion: number, decide: (current: Organisation) => OrganisationChange): Promise<OrganisationChange> {
    const change = await store.write(id, (stored) => {
      if (!stored || stored.deletedAt) throw AppError.notFound(`organisation ${id}`);
      if (stored.organisation.version !== expectedVersion) throw preconditionFailed(id, stored.organisation.version);
      return decide(stored.organisation);
    });
    changed();
    return change;
  }

  /** The next state of `current` with its event. */
  function replacement(current: Organisation, input: ReturnType<typeof validateInput>): OrganisationChange {
    const next = nextState(current.id, input, current, now());
    return { organisation: next, event: upsertedEvent(next) };
  }
  const organisationOf = (change: OrganisationChange) => (change as { organisation: Organisation }).organisation;

  /** Internal full replace under a version check (import updates). */
  async function replaceValidated(existing: Organisation, input: ReturnType<typeof validateInput>): Promise<Organisation> {
    return organisationOf(await writeChecked(existing.id, existing.version, (current) => replacement(current, input)));
  }

  /**
   * Many creates in a few batched writes (import fast path). Per input, the organisation, or
   * undefined when one of its keys (VAT, website, name) or its id is already taken: the row may
   * be an update, the caller sends it through the upsert path.
   */
  async function createManyValidated(items: { input: ReturnType<typeof validateInput>; id: string }[]): Promise<(Organisation | undefined)[]> {
    const orgs = items.map((i) => nextState(i.id, i.input, undefined, now()));
    const { refused } = await store.insertMany(
      orgs.map((organisation) => ({ organisation, event: upsertedEvent(organisation) })),
      { newKeysOnly: true },
    );
    changed();
    const left = new Set(refused);
    return orgs.map((org) => (left.has(org.id) ? undefined : org));
  }

  return {
    createValidated,
    createManyValidated,
    replaceValidated,

    async create(principal: Principal, body: unknown): Promise<Organisation> {
      assertCanCreate(principal);
      const input = validateInput(body);
      // A company user creates the profile of the organisation its token names, nothing else.
      const id = principal.role === 'company' ? principal.org! : newOrganisationId(now().getTime());
      return createValidated(input, id);
    },

    async get(principal: Principal, id: string): Promise<Organisation | PublicOrganisation> {
      return viewFor(principal, await live(id));
    },

    async patch(principal: Principal, id: string, expectedVersion: number, patch: OrganisationPatch): Promise<Organisation> {
      assertCanModify(principal, id);
      const change = await writeChecked(id, expectedVersion, (current) => {
        assertCanPatch(principal, current, patch);
        return replacement(current, mergePatch(current, patch));
      });
      return organisationOf(change);
    },

    async remove(principal: Principal, id: string, expectedVersion: number): Promise<{ id: string; version: number; deletedAt: string }> {
      assertCanModify(principal, id);
      const deletedAt = now().toISOString();
      const version = expectedVersion + 1;
      await writeChecked(id, expectedVersion, () => ({ id, version, deletedAt, event: deletedEvent(id, version, deletedAt) }));
      return { id, version, deletedAt };
    },

    /** Served by the search read model: reflects a write once its event is applied (about a second). */
    async list(principal: Principal, query: ListQuery): Promise<Page<Organisation | PublicOrganisation>> {
      if (!deps.search) throw AppError.unavailable('search');
      const { limit, cursor, sort: requested, ...filter } = query;
      const sort = requested ?? (filter.q ? 'relevance' : 'id');
      const page = await deps.search.list(filter, sort, limit, cursor ? decodeCursor(cursor, sort) : undefined);
      return { items: page.items.map((o) => viewFor(principal, o)), nextCursor: page.after ? encodeCursor(sort, page.after) : null };
    },
  };
}
export type OrganisationUseCases = ReturnType<typeof createOrganisationUseCases>;
