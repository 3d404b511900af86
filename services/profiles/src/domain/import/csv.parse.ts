import { CsvError, parse } from 'csv-parse/sync';

/**
 * RFC 4180 CSV through csv-parse: comma separated, fields optionally in double quotes, `""` is
 * a quote inside a quoted field, quoted fields may span lines, CRLF, LF or CR line ends (mixed, as files pasted together have), optional
 * UTF-8 BOM, blank lines skipped (spreadsheets often add one at the end). Records may have any
 * number of cells here: a record with the wrong count is reported on its own row by the import,
 * not as a failure of the whole file. Broken quoting is reported with its line, not guessed
 * around (where a record ends is unknowable after it).
 */
export interface CsvParseResult {
  rows: string[][];
  error?: string;
}

/** csv-parse's error codes → what a person fixing the file needs to read. */
const PROBLEM: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'unterminated quoted field',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote must be followed by a comma or a line end',
  CSV_INVALID_OPENING_QUOTE: 'a quote inside an unquoted field (quote the whole field and double the quote)',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text after a closing quote',
};

export function parseCsv(text: string): CsvParseResult {
  try {
    const rows = parse(text, { bom: true, record_delimiter: ['\r\n', '\n', '\r'], skip_empty_lines: true, relax_column_count: true }) as string[][];
    return { rows };
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const line = (e as CsvError & { lines?: number }).lines;
    return { rows: [], error: `${PROBLEM[e.code] ?? e.message}${line ? ` (line ${line})` : ''}` };
  }
}
