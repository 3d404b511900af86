import type { Organisation } from '@lm/contracts';

/** What the use cases need from storage (implemented in data/, injected by main/app). */
export interface StoredOrganisation {
  organisation: Organisation;
  deletedAt?: string;
}

export interface UpsertKeys {
  vatNumber?: string;
  website?: string;
  legalName: string;
  province: string;
}

/** What a write does to a stored organisation: a new state, or a soft delete; each with its event. */
export type OrganisationChange = { organisation: Organisation; event: string } | { id: string; version: number; deletedAt: string; event: string };

export interface OrganisationStore {
  /** Inserts version 1 with its pending event in one write; throws a 409 AppError on duplicates. */
  insert(org: Organisation, event: string): Promise<void>;
  /**
   * Inserts many new organisations, each with its event, in a few batched statements (seed and
   * import fast path); returns the ids it did not insert (an exclusive key or the id already
   * taken — with `newKeysOnly`, any key, the name too: the import's rows that may update).
   */
  insertMany(items: { organisation: Organisation; event: string }[], opts?: { newKeysOnly?: boolean }): Promise<{ refused: string[] }>;
  findById(id: string): Promise<StoredOrganisation | undefined>;
  /**
   * Under the organisation's lock: reads the stored state once, `decide` returns the change to
   * make from it (or throws: missing, stale version, rights), which is written with its event in
   * one single-document write. Returns the change.
   */
  write(id: string, decide: (current: StoredOrganisation | undefined) => OrganisationChange): Promise<OrganisationChange>;
  /** The live organisation an import row refers to (VAT, else website, else name + province). */
  findByUpsertKey(keys: UpsertKeys): Promise<Organisation | undefined>;
  /** Per entry, the ids of the organisations that hold (or recently claimed) any of its keys: who an import row could touch. */
  keyHolders(keys: UpsertKeys[]): Promise<string[][]>;
  countLive(): Promise<number>;
}

/** Called after every successful write so the relay publishes without waiting for its next poll. */
export type ChangeListener = () => void;
