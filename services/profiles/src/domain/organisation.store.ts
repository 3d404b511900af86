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

export interface OrganisationStore {
  /** Inserts version 1 with its pending event in one write; throws a 409 AppError on duplicates. */
  insert(org: Organisation, event: string): Promise<void>;
  /**
   * Inserts many new organisations, each with its event, in a few batched statements (seed and
   * import fast path); returns the ids it did not insert (a key or the id already taken).
   */
  insertMany(items: { organisation: Organisation; event: string }[]): Promise<{ refused: string[] }>;
  findById(id: string): Promise<StoredOrganisation | undefined>;
  /** Replaces the state if the stored version is still `expectedVersion`; false when it is not (or it is gone). */
  replace(next: Organisation, expectedVersion: number, event: string): Promise<boolean>;
  /** Soft delete under the same version check. */
  markDeleted(id: string, expectedVersion: number, deletedAt: string, nextVersion: number, event: string): Promise<boolean>;
  /** The live organisation an import row refers to (VAT, else website, else name + province). */
  findByUpsertKey(keys: UpsertKeys): Promise<Organisation | undefined>;
  /** Per entry, the ids of the organisations that hold (or recently claimed) any of its keys: who an import row could touch. */
  keyHolders(keys: UpsertKeys[]): Promise<string[][]>;
  countLive(): Promise<number>;
}

/** Called after every successful write so the relay publishes without waiting for its next poll. */
export type ChangeListener = () => void;
