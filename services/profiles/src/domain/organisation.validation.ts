import { OrganisationInput } from '@lm/contracts';
import { AppError, issueDetails } from '@lm/errors';

/** Validates a full organisation input (create, import row, merged patch) or throws a 400. */
export function validateInput(value: unknown, prefix = 'body'): OrganisationInput {
  const result = OrganisationInput.safeParse(value);
  if (!result.success) throw AppError.validation('invalid organisation', issueDetails(result.error.issues, prefix));
  return withItemIds(result.data);
}

/**
 * Needs and offers get a stable id when the client gave none, so matching can point at one
 * of them; positional ids keep re-imports of the same file idempotent.
 */
export function withItemIds(input: OrganisationInput): OrganisationInput {
  const tag = (items: OrganisationInput['needs'], prefix: string) => items.map((item, i) => (item.id ? item : { ...item, id: `${prefix}${i + 1}` }));
  return { ...input, needs: tag(input.needs, 'need-'), offers: tag(input.offers, 'offer-') };
}
