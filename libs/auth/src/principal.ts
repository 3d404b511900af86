export const ROLES = ['company', 'hub_staff', 'partner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as read from a verified token. */
export interface Principal {
  sub: string;
  role: Role;
  /** The organisation a company user acts for (claim `org`). */
  org?: string;
}

/** Hub staff and admins manage everything; used by services for "any organisation" rules. */
export function isStaff(p: Principal): boolean {
  return p.role === 'hub_staff' || p.role === 'admin';
}

/** A company user may act for its own organisation; staff for any. */
export function canActForOrganisation(p: Principal, organisationId: string): boolean {
  return isStaff(p) || (p.role === 'company' && p.org === organisationId);
}
