// CSV as RFC 4180 defines it, read back by the tests of the history's download.
import assert from 'node:assert/strict';

/** Parses RFC 4180 text: quoted fields, doubled quotes, CRLF rows. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted && char === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') quoted = !quoted;
    else if (quoted || (char !== ',' && char !== '\r')) field += char;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else {
      assert.equal(text[i + 1], '\n', 'rows end with CRLF');
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    }
  }
  assert.equal(field + row.join(''), '', 'the text ends with CRLF');
  return rows;
}
