import type { InvestmentStage, Language, NeedOfferType, OrganisationSize, Province, S3Area } from '@lm/contracts';
import { CLUSTERS, HUBS, INVESTORS, IRCCS, NamedOrg, UNIVERSITIES } from './named';
import { place } from './places';
import { createRandom, type Random } from '@lm/random';
import { ItemTemplate, SECTORS, Sector } from './sectors';

/** An organisation to create: a fixed id (so demo links are stable) and an OrganisationInput-shaped body. */
export interface DemoOrganisation {
  id: string;
  input: Record<string, unknown>;
}

const PREFIXES = [
  'Adda',
  'Ticino',
  'Brianza',
  'Lario',
  'Orobica',
  'Brixia',
  'Insubria',
  'Naviglio',
  'Sforza',
  'Ambrosiana',
  'Mincio',
  'Oglio',
  'Serio',
  'Valtellina',
  'Padana',
  'Visconti',
  'Nova',
  'Helix',
  'Vertex',
  'Quanta',
  'Orion',
  'Lumen',
  'Aurora',
  'Stella',
  'Kairos',
  'Tecno',
  'Alpi',
  'Garda',
  'Seveso',
  'Lambro',
];
const FIRST = [
  'Giulia',
  'Marco',
  'Francesca',
  'Luca',
  'Chiara',
  'Alessandro',
  'Sara',
  'Matteo',
  'Elena',
  'Davide',
  'Martina',
  'Paolo',
  'Silvia',
  'Andrea',
  'Valentina',
  'Stefano',
];
const LAST = [
  'Rossi',
  'Colombo',
  'Bianchi',
  'Ferrari',
  'Brambilla',
  'Galli',
  'Fumagalli',
  'Sala',
  'Villa',
  'Riva',
  'Mariani',
  'Conti',
  'Cattaneo',
  'Longhi',
  'Bassi',
  'Pozzi',
];
const ROLES = ['CEO', 'CTO', 'Business development', 'Responsabile R&S', 'Tech transfer manager'];

const slugify = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 50);
const clamp = (n: number) => Math.max(1, Math.min(9, n));

function weighted(r: Random): Sector {
  const total = SECTORS.reduce((s, x) => s + x.weight, 0);
  let roll = r.next() * total;
  for (const s of SECTORS) if ((roll -= s.weight) < 0) return s;
  return SECTORS[0]!;
}

function item(r: Random, t: ItemTemplate, languages: Language[], s3Areas: S3Area[], extra: Record<string, unknown> = {}) {
  const lang: Language = languages.length > 1 ? r.pick(languages) : languages[0]!;
  const [title, text] = t[lang];
  const trl = t.trl ? { min: clamp(t.trl[0] + r.int(-1, 0)), max: clamp(t.trl[1] + r.int(0, 1)) } : undefined;
  return { type: t.type, title, text, lang, keywords: t.keywords, s3Areas, ...(trl ? { trl } : {}), ...extra };
}

function contacts(r: Random, domain: string) {
  return Array.from({ length: r.int(1, 2) }, () => {
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    return { name: `${first} ${last}`, role: r.pick(ROLES), email: `${slugify(first)}.${slugify(last)}@${domain}`, phone: `+39 02 ${r.int(1000000, 9999999)}` };
  });
}

/** A generated company of a sector; `n` makes its website and VAT number unique. */
function company(r: Random, n: number, vatBase: number, nameTaken: (name: string) => boolean): Record<string, unknown> {
  const sector = weighted(r);
  const roll = r.next();
  const subtype = roll < 0.4 ? 'startup' : roll < 0.85 ? 'sme' : 'large';
  let legalName = `${r.pick(PREFIXES)} ${r.pick(sector.roots)} ${subtype === 'large' ? 'S.p.A.' : r.chance(0.8) ? 'S.r.l.' : 'S.p.A.'}`;
  if (nameTaken(legalName)) legalName = legalName.replace(/ (S\.\w\.\w\.)$/, ` ${n} $1`);
  const province = r.pick(sector.provinces);
  const loc = place(province, r.int(0, 6));
  const languages: Language[] = r.chance(0.65) ? ['it', 'en'] : r.chance(0.8) ? ['it'] : ['en'];
  const domain = `${slugify(legalName.replace(/ S\.\w\.\w\.$/, ''))}-${n}.it`;
  const size: OrganisationSize =
    subtype === 'startup' ? r.pick(['micro', 'small'] as const) : subtype === 'sme' ? r.pick(['small', 'medium'] as const) : 'large';
  const foundedYear = subtype === 'startup' ? r.int(2015, 2025) : subtype === 'sme' ? r.int(1955, 2014) : r.int(1890, 1990);
  const stage: InvestmentStage | undefined = subtype === 'startup' ? r.pick(['pre_seed', 'seed', 'series_a'] as const) : undefined;
  const s3Areas = sector.s3Areas.slice(0, r.int(1, sector.s3Areas.length));
  const trlBase = subtype === 'startup' ? r.int(3, 6) : r.int(6, 8);
  const needs = r
    .sample(sector.needs, r.int(1, Math.min(3, sector.needs.length)))
    .map((t) => item(r, t, languages, s3Areas, t.type === 'funding' ? { amountEur: { min: 250_000 * r.int(1, 4), max: 1_000_000 * r.int(2, 8) } } : {}));
  const offers = r.sample(sector.offers, r.int(1, sector.offers.length)).map((t) => item(r, t, languages, s3Areas));
  return {
    kind: 'company',
    subtype,
    legalName,
    description: languages.map((lang) => ({ lang, text: `${lang === 'it' ? sector.it : sector.en} ${lang === 'it' ? 'Sede a' : 'Based in'} ${loc.city}.` })),
    website: `https://www.${domain}`,
    vatNumber: String(vatBase + n).padStart(11, '0'),
    location: { ...loc, lat: Number((loc.lat + (r.next() - 0.5) * 0.02).toFixed(4)), lon: Number((loc.lon + (r.next() - 0.5) * 0.02).toFixed(4)) },
    size,
    foundedYear,
    s3Areas,
    specialties: r.sample(sector.specialties, r.int(2, Math.min(4, sector.specialties.length))),
    needs,
    offers,
    trl: { min: trlBase, max: clamp(trlBase + r.int(1, 2)) },
    ...(stage ? { stage } : {}),
    languages,
    contacts: contacts(r, domain),
  };
}

const RESEARCH_OFFERS: ItemTemplate[] = [
  {
    type: 'rd_collaboration',
    it: ['Laboratori e gruppi di ricerca', 'Gruppi di ricerca e laboratori disponibili per progetti congiunti con imprese.'],
    en: ['Labs and research groups', 'Research groups and laboratories available for joint projects with companies.'],
    keywords: ['joint research', 'laboratories'],
    trl: [2, 5],
  },
  {
    type: 'tech_transfer',
    it: ['Brevetti e spin-off', 'Portafoglio brevetti disponibile in licenza e supporto alla creazione di spin-off.'],
    en: ['Patents and spin-offs', 'Patent portfolio available for licensing and support for spin-off creation.'],
    keywords: ['patents', 'licensing', 'spin-off'],
    trl: [3, 5],
  },
  {
    type: 'talent',
    it: ['Laureati e dottorandi', 'Tirocini, dottorati industriali e apprendistato di alta formazione.'],
    en: ['Graduates and PhD students', 'Internships, industrial PhDs and high-level apprenticeships.'],
    keywords: ['phd', 'internship'],
  },
];
const IRCCS_OFFER: ItemTemplate = {
  type: 'clinical_trials',
  it: ['Centro per sperimentazioni cliniche', 'Unità di ricerca clinica per studi di fase I–III e indagini su dispositivi medici.'],
  en: ['Clinical-trial centre', 'Clinical research unit for phase I–III studies and medical-device investigations.'],
  keywords: ['clinical trials', 'phase I', 'phase III'],
  trl: [5, 8],
};
const RESEARCH_NEED: ItemTemplate = {
  type: 'rd_collaboration',
  it: ['Partner industriali per bandi europei', 'Cerchiamo imprese per proposte Horizon Europe e bandi regionali FESR.'],
  en: ['Industrial partners for EU calls', 'We look for companies for Horizon Europe proposals and regional ERDF calls.'],
  keywords: ['horizon europe', 'erdf', 'consortium'],
  trl: [3, 6],
};
const HUB_OFFERS: ItemTemplate[] = [
  {
    type: 'internationalisation',
    it: ['Eventi B2B e missioni all’estero', 'Organizziamo eventi B2B in Italia e all’estero per favorire nuove partnership.'],
    en: ['B2B events and trade missions', 'We organise B2B events in Italy and abroad to foster new partnerships.'],
    keywords: ['b2b', 'matchmaking', 'events'],
  },
  {
    type: 'skills_training',
    it: ['Formazione e orientamento', 'Valutazione della maturità digitale, linee dimostrative e formazione per PMI.'],
    en: ['Training and orientation', 'Digital-maturity assessment, demo lines and training for SMEs.'],
    keywords: ['digital maturity', 'training', 'sme'],
  },
];
const INVESTOR_NEED: ItemTemplate = {
  type: 'tech_transfer',
  it: ['Deal flow da spin-off', 'Cerchiamo spin-off universitari e start-up da IRCCS e acceleratori.'],
  en: ['Deal flow from spin-offs', 'We look for university spin-offs and start-ups from IRCCS and accelerators.'],
  keywords: ['deal flow', 'spin-off', 'start-up'],
};

function named(r: Random, o: NamedOrg): DemoOrganisation {
  const languages: Language[] = ['it', 'en'];
  const loc = place(o.province, o.city ?? 0);
  const domain = `${o.slug}.example.it`;
  const offers: ItemTemplate[] =
    o.kind === 'investor'
      ? []
      : o.kind === 'intermediary'
        ? HUB_OFFERS
        : o.subtype === 'irccs'
          ? [IRCCS_OFFER, RESEARCH_OFFERS[0]!]
          : o.subtype === 'competence_centre'
            ? [HUB_OFFERS[1]!, RESEARCH_OFFERS[0]!]
            : RESEARCH_OFFERS;
  const needs: ItemTemplate[] = o.kind === 'investor' ? [INVESTOR_NEED] : o.kind === 'research_centre' ? [RESEARCH_NEED] : [];
  const funding = o.investor
    ? [
        {
          type: 'funding' as NeedOfferType,
          title: `Investimenti ${o.investor.stages.join(', ')}`,
          text: o.it,
          lang: 'it' as Language,
          keywords: ['venture capital', ...o.investor.stages],
          s3Areas: o.s3Areas,
          amountEur: { min: o.investor.ticket[0], max: o.investor.ticket[1] },
        },
      ]
    : [];
  return {
    id: `org_${o.slug.replace(/-/g, '_')}`,
    input: {
      kind: o.kind,
      subtype: o.subtype,
      legalName: o.name,
      description: [
        { lang: 'it', text: o.it },
        { lang: 'en', text: o.en },
      ],
      website: `https://www.${domain}`,
      location: loc,
      size: o.kind === 'investor' ? 'small' : 'large',
      ...(o.foundedYear ? { foundedYear: o.foundedYear } : {}),
      s3Areas: o.s3Areas,
      specialties: o.specialties,
      needs: needs.map((t) => item(r, t, languages, o.s3Areas)),
      offers: [...funding, ...offers.map((t) => item(r, t, languages, o.s3Areas))],
      ...(o.investor
        ? {
            investor: {
              stages: o.investor.stages,
              ticketEur: { min: o.investor.ticket[0], max: o.investor.ticket[1] },
              sectors: o.specialties,
              s3Areas: o.s3Areas,
              geography: o.investor.geography ?? [],
            },
          }
        : {}),
      languages,
      contacts: contacts(r, domain),
    },
  };
}

export const NAMED_ORGANISATIONS: readonly NamedOrg[] = [...UNIVERSITIES, ...IRCCS, ...HUBS, ...CLUSTERS, ...INVESTORS];

/**
 * The demo ecosystem: the named anchors (universities, IRCCS, Human Technopole, MADE, PoliHub,
 * clusters, funds) plus generated companies, `total` in all. Same seed → same data.
 */
export function generateDemoEcosystem(opts: { seed?: number; total?: number } = {}): DemoOrganisation[] {
  const r = createRandom(opts.seed ?? 2024);
  const out = NAMED_ORGANISATIONS.map((o) => named(r, o));
  const names = new Set(out.map((o) => o.input.legalName as string));
  for (let n = 1; out.length < (opts.total ?? 320); n++) {
    const input = company(r, n, 80_000_000_000, (name) => names.has(name));
    names.add(input.legalName as string);
    out.push({ id: `org_demo_${String(n).padStart(4, '0')}`, input });
  }
  return out;
}

/**
 * Synthetic organisation number `i` of a large benchmark set: independent of the others (its
 * own PRNG stream), so sets of any size are reproducible and can be generated in batches.
 */
export function syntheticOrganisation(seed: number, i: number): DemoOrganisation {
  const r = createRandom((seed * 1_000_003 + i) >>> 0);
  const input = company(r, i, 70_000_000_000 + (seed % 1000) * 10_000_000, () => false);
  return { id: `org_syn_${seed}_${String(i).padStart(7, '0')}`, input };
}

export type { Province };
