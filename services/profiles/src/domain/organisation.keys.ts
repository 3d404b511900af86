import { randomBytes } from 'crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * `org_` + a ULID-like suffix (10 chars of millisecond time + 16 random, Crockford base32):
 * ids sort roughly by creation time, which keeps the list's `_id` cursor in a natural order.
 */
export function newOrganisationId(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (const b of bytes) rand += CROCKFORD[b % 32];
  return `org_${time}${rand}`;
}

/** `https://WWW.Example.it/path` → `example.it`: two spellings of one site are one organisation. */
export function normaliseWebsiteHost(website: string | undefined): string | undefined {
  if (!website) return undefined;
  try {
    const host = new URL(website).hostname
      .toLowerCase()
      .replace(/^www\./, '')
      .replace(/\.$/, '');
    return host || undefined;
  } catch {
    return undefined;
  }
}

/** Import fallback key when neither VAT number nor website is given: legal name + province. */
export function nameKey(legalName: string, province: string): string {
  const name = legalName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  return `${name}|${province}`;
}

/** Escapes user text for use inside a RegExp (the list's `q` filter). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
