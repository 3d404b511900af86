import type { Principal } from '@lm/auth';
import { assertCanPatch } from '../src/domain/organisation.policy';

const owner: Principal = { sub: 'u1', role: 'company', org: 'org_1' };
const existing = { kind: 'company' as const, subtype: 'startup' as const };

describe('who may change what an organisation is', () => {
  it('when a company patches its own kind or subtype, then 403 names the field', () => {
    expect(() => assertCanPatch(owner, existing, { kind: 'research_centre', subtype: 'university' })).toThrow(
      expect.objectContaining({ status: 403, details: [expect.objectContaining({ field: 'body.kind' }), expect.objectContaining({ field: 'body.subtype' })] }),
    );
    expect(() => assertCanPatch(owner, existing, { subtype: 'sme' })).toThrow(
      expect.objectContaining({ status: 403, details: [expect.objectContaining({ field: 'body.subtype' })] }),
    );
  });

  it('when a company resends its current kind and subtype, or leaves them out, then the patch is allowed', () => {
    expect(() => assertCanPatch(owner, existing, { kind: 'company', subtype: 'startup' })).not.toThrow();
    expect(() => assertCanPatch(owner, existing, {})).not.toThrow();
  });

  it.each(['hub_staff', 'admin'] as const)('when %s reclassifies an organisation, then it is allowed', (role) => {
    expect(() => assertCanPatch({ sub: 's', role }, existing, { kind: 'research_centre', subtype: 'university' })).not.toThrow();
  });
});
