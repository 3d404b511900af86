/**
 * RFC 4180 CSV: comma separated, fields optionally in double quotes, `""` is a quote inside a
 * quoted field, quoted fields may span lines, CRLF or LF line ends, optional UTF-8 BOM.
 * Returns rows of raw cells; an unterminated quote is reported, not guessed around.
 */
export interface CsvParseResult {
  rows: string[][];
  error?: string;
}

export function parseCsv(text: string): CsvParseResult {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(cell);
    cell = '';
    // Blank lines (a single empty cell) are skipped: spreadsheets often add one at the end.
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell === '') {
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRow();
    } else {
      cell += ch;
    }
    i++;
  }
  if (quoted) return { rows, error: `unterminated quoted field in line ${rows.length + 1}` };
  if (cell !== '' || row.length > 0) endRow();
  return { rows };
}
