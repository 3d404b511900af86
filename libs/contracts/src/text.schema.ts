import { z } from './zod';

/**
 * Free text people type (names, titles, venues, descriptions, messages). It reaches other
 * people's screens, calendars and spreadsheets, so characters that change how the *rest* of a
 * line or file is read are refused rather than stored:
 * - C0/C1 control characters (CR, NUL, ESC, NEL …) and DEL — a bare CR starts a new iCalendar
 *   or CSV line in strict readers; multi-line text keeps tab and LF only;
 * - the Unicode line and paragraph separators (U+2028/U+2029);
 * - bidirectional overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069), which make
 *   "Acme ‮gnp.exe" display as something else. The bidi *marks* (LRM, RLM, ALM) stay allowed:
 *   Arabic and Hebrew names need them and they cannot reorder a run of text.
 * Text is normalised to NFC first, so the same name typed on two keyboards is one string.
 * Windows line ends (CRLF) in multi-line text are folded to LF before the check.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the purpose
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/u; // every control except tab
// eslint-disable-next-line no-control-regex -- finding control characters is the purpose
const MULTILINE_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/u; // every control except tab and LF
const SEPARATORS = /[\u2028\u2029]/u;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;

function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first forbidden character of `s`, described for the client; undefined when the text is clean. */
export function forbiddenCharacter(s: string, opts: { multiline: boolean }): string | undefined {
  const control = (opts.multiline ? MULTILINE_CONTROL : CONTROL).exec(s) ?? (opts.multiline ? null : /\t/.exec(s));
  if (control) return `must not contain control characters (found ${codePointName(control[0])})`;
  const separator = SEPARATORS.exec(s);
  if (separator) return `must not contain line or paragraph separators (found ${codePointName(separator[0])})`;
  const bidi = BIDI.exec(s);
  if (bidi) return `must not contain bidirectional control characters (found ${codePointName(bidi[0])})`;
  return undefined;
}

function safeText(multiline: boolean, min: number | undefined, max: number) {
  let schema = z.string().normalize('NFC');
  if (multiline) schema = schema.overwrite((s) => s.replace(/\r\n/g, '\n'));
  schema = schema.trim().check((ctx) => {
    const problem = forbiddenCharacter(ctx.value, { multiline });
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });
  if (min !== undefined) schema = schema.min(min);
  return schema.max(max);
}

/** One line of text (a name, title, venue, city): no control characters at all, not even tab. */
export function lineText(opts: { min?: number; max: number }) {
  return safeText(false, opts.min, opts.max);
}

/** Multi-line text (a description, a message): tab and newline allowed, CRLF folded to LF. */
export function multilineText(opts: { min?: number; max: number }) {
  return safeText(true, opts.min, opts.max);
}
