import type { Organisation } from '@lm/contracts';
import type { ListFilter, ListSort } from './list.query';

/** A page of the search read model, with the sort values of its last item (the next cursor). */
export interface SearchPage {
  items: Organisation[];
  /** Sort values of the last item when more may follow. */
  after?: unknown[];
}

/**
 * The list/search read model (implemented in data/ on Elasticsearch): eventually consistent
 * with the organisations, kept from the service's own events.
 */
export interface OrganisationSearch {
  list(filter: ListFilter, sort: ListSort, limit: number, after?: unknown[]): Promise<SearchPage>;
}
