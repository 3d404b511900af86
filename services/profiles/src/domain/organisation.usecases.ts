import type { Principal } from '@lm/auth';
import { Organisation, OrganisationPatch, PublicOrganisation } from '@lm/contracts';
import { AppError } from '@lm/errors';
import { ListQuery, decodeCursor, encodeCursor } from './list.query';
import { deletedEvent, upsertedEvent } from './organisation.events';
import { newOrganisationId } from './organisation.keys';
import { mergePatch, nextState } from './organisation.merge';
import { assertCanCreate, assertCanModify, assertCanPatch, viewFor } from './organisation.policy';
import type { OrganisationSearch } from './organisation.search';
import type { ChangeListener, OrganisationStore } from './organisation.store';
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

  /** Internal full replace under a version check (PATCH and import updates). */
  async function replaceValidated(existing: Organisation, input: ReturnType<typeof validateInput>): Promise<Organisation> {
    const next = nextState(existing.id, input, existing, now());
    if (!(await store.replace(next, existing.version, upsertedEvent(next)))) {
      const current = await store.findById(existing.id);
      if (!current || current.deletedAt) throw AppError.notFound(`organisation ${existing.id}`);
      throw preconditionFailed(existing.id, current.organisation.version);
    }
    changed();
    return next;
  }

  /**
   * Many creates in a few batched writes (import fast path); an organisation the batch could
   * not insert goes through the single create, which reports why (409 naming the field).
   * Returns, per input, the organisation or the error.
   */
  async function createManyValidated(items: { input: ReturnType<typeof validateInput>; id: string }[]): Promise<(Organisation | Error)[]> {
    const orgs = items.map((i) => nextState(i.id, i.input, undefined, now()));
    const { refused } = await store.insertMany(orgs.map((organisation) => ({ organisation, event: upsertedEvent(organisation) })));
    const retry = new Set(refused);
    const out: (Organisation | Error)[] = [];
    for (const [i, org] of orgs.entries()) {
      if (!retry.has(org.id)) out.push(org);
      else out.push(await createValidated(items[i]!.input, org.id).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
    }
    changed();
    return out;
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
      const existing = await live(id);
      if (existing.version !== expectedVersion) throw preconditionFailed(id, existing.version);
      assertCanPatch(principal, existing, patch);
      return replaceValidated(existing, mergePatch(existing, patch));
    },

    async remove(principal: Principal, id: string, expectedVersion: number): Promise<{ id: string; version: number; deletedAt: string }> {
      assertCanModify(principal, id);
      const existing = await live(id);
      if (existing.version !== expectedVersion) throw preconditionFailed(id, existing.version);
      const deletedAt = now().toISOString();
      const version = existing.version + 1;
      if (!(await store.markDeleted(id, existing.version, deletedAt, version, deletedEvent(id, version, deletedAt)))) {
        const current = await store.findById(id);
        if (!current || current.deletedAt) throw AppError.notFound(`organisation ${id}`);
        throw preconditionFailed(id, current.organisation.version);
      }
      changed();
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
