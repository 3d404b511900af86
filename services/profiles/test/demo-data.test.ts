import { OrganisationInput } from '@lm/contracts';
import { generateDemoEcosystem, syntheticOrganisation } from '../src/domain/demo-data/generator';

describe('demo data generator', () => {
  const demo = generateDemoEcosystem();

  it('when generated twice with the same seed, then the data is identical; another seed differs', () => {
    expect(generateDemoEcosystem()).toEqual(demo);
    expect(generateDemoEcosystem({ seed: 7 })).not.toEqual(demo);
    expect(syntheticOrganisation(42, 1234)).toEqual(syntheticOrganisation(42, 1234));
  });

  it('when validated, then every organisation passes OrganisationInput', () => {
    const failures = demo
      .map((o) => ({ id: o.id, result: OrganisationInput.safeParse(o.input) }))
      .filter((x) => !x.result.success)
      .map((x) => `${x.id}: ${x.result.error!.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    expect(failures).toEqual([]);
  });

  it('when inspected, then it is a Lombardy ecosystem of 300+ organisations with unique ids, VAT numbers and websites', () => {
    expect(demo.length).toBeGreaterThanOrEqual(300);
    const unique = (xs: unknown[]) => new Set(xs.filter(Boolean)).size === xs.filter(Boolean).length;
    expect(unique(demo.map((o) => o.id))).toBe(true);
    expect(unique(demo.map((o) => o.input.vatNumber))).toBe(true);
    expect(unique(demo.map((o) => new URL(o.input.website as string).hostname))).toBe(true);
    const names = demo.map((o) => o.input.legalName as string);
    for (const anchor of [
      'Politecnico di Milano',
      'Università Commerciale Luigi Bocconi',
      'Humanitas University',
      'Human Technopole',
      'MADE Competence Center Industria 4.0',
      'PoliHub',
    ]) {
      expect(names).toContain(anchor);
    }
    expect(names.some((n) => n.includes('Galeazzi'))).toBe(true);
    const kinds = new Set(demo.map((o) => `${o.input.kind}/${o.input.subtype}`));
    for (const k of [
      'research_centre/university',
      'research_centre/irccs',
      'intermediary/cluster',
      'investor/vc_fund',
      'investor/angel_network',
      'investor/public_fund',
      'company/startup',
      'company/sme',
      'company/large',
    ]) {
      expect(kinds).toContain(k);
    }
  });

  it('when needs and offers are read, then both Italian and English texts are present with valid TRL ranges', () => {
    const items = demo.flatMap((o) => [
      ...(o.input.needs as { lang: string; trl?: { min: number; max: number } }[]),
      ...(o.input.offers as { lang: string }[]),
    ]);
    const langs = new Set(items.map((i) => i.lang));
    expect(langs).toEqual(new Set(['it', 'en']));
    const trls = items.map((i) => (i as { trl?: { min: number; max: number } }).trl).filter(Boolean) as { min: number; max: number }[];
    expect(trls.length).toBeGreaterThan(100);
    for (const t of trls) expect(t.min).toBeLessThanOrEqual(t.max);
  });

  it('when synthetic organisations are generated, then they are valid and distinct by index', () => {
    const batch = Array.from({ length: 200 }, (_, i) => syntheticOrganisation(42, i));
    expect(batch.every((o) => OrganisationInput.safeParse(o.input).success)).toBe(true);
    expect(new Set(batch.map((o) => o.input.vatNumber)).size).toBe(200);
    expect(new Set(batch.map((o) => o.input.website)).size).toBe(200);
  });
});
