import { canActForOrganisation, isStaff, type Principal } from '@lm/auth';
import { Organisation, PublicOrganisation, toPublicOrganisation } from '@lm/contracts';
import { AppError } from '@lm/errors';

/**
 * Who may do what (the authorisation matrix, in one place):
 * - create: company (only its own organisation, id = token `org`), hub_staff, admin; partner never;
 * - read: every authenticated role; private fields (contacts, VAT) only owner, hub_staff, admin;
 * - update / delete: owner, hub_staff, admin;
 * - import: hub_staff, admin.
 */
export function assertCanCreate(p: Principal): void {
  if (p.role === 'partner') throw AppError.forbidden('partners cannot create organisations');
  if (p.role === 'company' && !p.org) throw AppError.forbidden('company token has no organisation');
}

export function assertCanModify(p: Principal, organisationId: string): void {
  if (!canActForOrganisation(p, organisationId)) throw AppError.forbidden('only the organisation itself or hub staff may change it');
}

export function assertCanImport(p: Principal): void {
  if (!isStaff(p)) throw AppError.forbidden('only hub staff and admins may import');
}

export function viewFor(p: Principal, org: Organisation): Organisation | PublicOrganisation {
  return canActForOrganisation(p, org.id) ? org : toPublicOrganisation(org);
}
