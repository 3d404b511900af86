import type { NeedOfferType, OrganisationKind } from '@lm/contracts';

/**
 * Which offer types answer which need type (and which kinds usually bring them). Read as:
 * a company that needs `clinical_trials` is served by a candidate offering `clinical_trials`.
 * Versioned with the weights: changing a row changes rankings.
 */
export const NEED_TO_OFFER: Readonly<Record<NeedOfferType, readonly NeedOfferType[]>> = {
  funding: ['funding'],
  rd_collaboration: ['rd_collaboration', 'tech_transfer'],
  clinical_trials: ['clinical_trials'],
  tech_transfer: ['tech_transfer', 'rd_collaboration'],
  pilot_site: ['pilot_site', 'clinical_trials'],
  manufacturing: ['manufacturing'],
  regulatory: ['regulatory'],
  skills_training: ['skills_training', 'talent'],
  talent: ['talent', 'skills_training'],
  internationalisation: ['internationalisation'],
};

/** Offers a kind brings even when its profile does not list them (an investor offers funding). */
export const IMPLICIT_OFFERS: Readonly<Partial<Record<OrganisationKind, readonly NeedOfferType[]>>> = {
  investor: ['funding'],
};

/** Offer types that answer any of `needTypes`. */
export function compatibleOfferTypes(needTypes: readonly NeedOfferType[]): NeedOfferType[] {
  return [...new Set(needTypes.flatMap((t) => NEED_TO_OFFER[t] ?? []))].sort();
}

/** Need types (of a counterpart) that `offerTypes` answer: the reverse of the table. */
export function needTypesServedBy(offerTypes: readonly NeedOfferType[]): NeedOfferType[] {
  const offers = new Set(offerTypes);
  return (Object.keys(NEED_TO_OFFER) as NeedOfferType[]).filter((need) => NEED_TO_OFFER[need].some((o) => offers.has(o))).sort();
}
