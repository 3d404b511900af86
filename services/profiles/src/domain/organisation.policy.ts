import { canActForOrganisation, isStaff, type Principal } from '@lm/auth';
import { Organisation, OrganisationPatch, PublicOrganisation, toPublicOrganisation } from '@lm/contracts';
import { AppError } from '@lm/errors';

/**
 * Who may do what (the authorisation matrix, in one place):
 * - create: company (only its own organisation, id = token `org`), hub_staff, admin; partner never;
 * - read: every authenticated role; private fields (contacts, VAT) only owner, hub_staff, admin;
 * - update / delete: owner, hub_staff, admin; but `kind` and `subtype` (what an organisation *is*:
 *   a research centre or investor appears as a candidate in other companies' matches) change
 *   only by hub_staff or admin — the owner may resend the values it has;
 * - import: hub_staff, admin.
 */
export function assertCanCreate(p: Principal): void {
  if (p.role === 'partner') throw AppError.forbidden('partners cannot create organisations');
  if (p.role === 'company' && !p.org) throw AppError.forbidden('company token has no organisation');
}

export function assertCanModify(p: Principal, organisationId: string): void {
  if (!canActForOrganisation(p, organisationId)) throw AppError.forbidden('only the organisation itself or hub staff may change it');
}

/** A patch that would change `kind` or `subtype` needs hub staff or an admin (403 naming the field). */
export function assertCanPatch(p: Principal, existing: Pick<Organisation, 'kind' | 'subtype'>, patch: Pick<OrganisationPatch, 'kind' | 'subtype'>): void {
  if (isStaff(p)) return;
  const changed = (['kind', 'subtype'] as const).filter((f) => patch[f] !== undefined && patch[f] !== existing[f]);
  if (changed.length) {
    throw new AppError('forbidden', 'only hub staff and admins may change what an organisation is (kind, subtype)', {
      details: changed.map((f) => ({ field: `body.${f}`, message: `stays ${existing[f]} unless hub staff change it` })),
    });
  }
}

export function assertCanImport(p: Principal): void {
  if (!isStaff(p)) throw AppError.forbidden('only hub staff and admins may import');
}

export function viewFor(p: Principal, org: Organisation): Organisation | PublicOrganisation {
  return canActForOrganisation(p, org.id) ? org : toPublicOrganisation(org);
}
