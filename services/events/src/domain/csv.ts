import { stringify } from 'csv-stringify/sync';

// A cell a spreadsheet would evaluate: a leading = + - @ (possibly after blanks), or a leading
// tab/CR that some importers strip before evaluating (OWASP "CSV injection").
const FORMULA_START = /^(?:[\t\r\n]|\s*[=+\-@])/;
// Controls other than tab and LF have no business in a cell; CR and CRLF become LF so a reader
// that is not quote-aware for CR cannot start a new row inside a value.
const CR = /\r\n?|[\u0085\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- finding control characters is the purpose
const OTHER_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u0084\u0086-\u009F]/g;

/** A text cell made safe to open in Excel, LibreOffice or Google Sheets. */
export function csvText(value: string): string {
  const neutral = FORMULA_START.test(value) ? `'${value}` : value;
  return neutral.replace(CR, '\n').replace(OTHER_CONTROL, '\uFFFD');
}

/**
 * RFC 4180 document (csv-stringify): CRLF record ends, every field quoted, quotes doubled.
 * Text cells go through {@link csvText}; numbers are written as numbers.
 */
export function csvDocument(header: string[], rows: (string | number)[][]): string {
  const cells = rows.map((row) => row.map((v) => (typeof v === 'number' ? v : csvText(v))));
  return stringify([header, ...cells], { record_delimiter: 'windows', quoted: true, quoted_empty: true });
}
