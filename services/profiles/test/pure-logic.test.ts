import type { Organisation } from '@lm/contracts';
import { parseCsv } from '../src/domain/import/csv.parse';
import { csvRecordToInput } from '../src/domain/import/import.rows';
import { decodeCursor, encodeCursor } from '../src/domain/list.query';
import { escapeRegex, nameKey, normaliseWebsiteHost } from '../src/domain/organisation.keys';
import { mergePatch } from '../src/domain/organisation.merge';

const existing: Organisation = {
  id: 'org_x',
  version: 3,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-02-01T00:00:00.000Z',
  kind: 'company',
  subtype: 'sme',
  legalName: 'Meccanica S.r.l.',
  description: [],
  location: { province: 'BS', city: 'Brescia' },
  s3Areas: ['advanced_manufacturing'],
  specialties: ['automation'],
  needs: [],
  offers: [],
  languages: ['it'],
  contacts: [],
  vatNumber: '01234567890',
};

describe('pure rules of the profiles service', () => {
  it('when a patch is merged, then present fields replace, absent fields stay, and server fields are not part of the input', () => {
    const merged = mergePatch(existing, { legalName: 'Nuova Meccanica S.r.l.', specialties: ['robotics'] });
    expect(merged).toMatchObject({ legalName: 'Nuova Meccanica S.r.l.', specialties: ['robotics'], vatNumber: '01234567890', location: { city: 'Brescia' } });
    expect(merged).not.toHaveProperty('version');
  });

  it('when a patch makes the whole invalid (kind without its subtype/investor), then a 400 names the fields', () => {
    expect(() => mergePatch(existing, { kind: 'investor' })).toThrow(
      expect.objectContaining({
        status: 400,
        details: expect.arrayContaining([expect.objectContaining({ field: 'body.subtype' }), expect.objectContaining({ field: 'body.investor' })]),
      }),
    );
  });

  it('when a cursor round-trips, then it gives back the sort values; a forged cursor or one of another sort is a 400 on query.cursor', () => {
    expect(decodeCursor(encodeCursor('name', ['acme srl', 'org_abc']), 'name')).toEqual(['acme srl', 'org_abc']);
    expect(() => decodeCursor(encodeCursor('name', ['acme srl', 'org_abc']), 'id')).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => decodeCursor('%%%', 'id')).toThrow(expect.objectContaining({ status: 400, details: [expect.objectContaining({ field: 'query.cursor' })] }));
    expect(() => decodeCursor(Buffer.from('{"s":"id","a":[{"x":1}]}').toString('base64url'), 'id')).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('when websites and names are normalised, then spellings of one organisation collide and regex input is inert', () => {
    expect(normaliseWebsiteHost('https://WWW.Example.IT/about?x=1')).toBe('example.it');
    expect(normaliseWebsiteHost('not a url')).toBeUndefined();
    expect(nameKey('Città Salute S.r.l.', 'MI')).toBe(nameKey('CITTA  salute srl', 'MI').replace('srl', 's r l'));
    expect(new RegExp(escapeRegex('a.*(b')).test('a.*(b')).toBe(true);
    expect(new RegExp(escapeRegex('a.*(b')).test('axxb')).toBe(false);
  });

  it('when CSV has quotes, escaped quotes, CRLF, embedded newlines and a BOM, then cells come out exactly', () => {
    const { rows, error } = parseCsv('\ufeffa,b\r\n"x, y","he said ""hi"""\n"multi\nline",\n\n');
    expect(error).toBeUndefined();
    expect(rows).toEqual([
      ['a', 'b'],
      ['x, y', 'he said "hi"'],
      ['multi\nline', ''],
    ]);
    expect(parseCsv('a\n"open').error).toMatch(/unterminated quoted field \(line 2\)/);
    expect(parseCsv('a,b\n"x"y,1').error).toMatch(/closing quote.*\(line 2\)/);
    expect(parseCsv('a,b\n1\n1,2,3').rows).toEqual([['a', 'b'], ['1'], ['1', '2', '3']]);
  });

  it('when a CSV record is mapped, then lists split on ";", numbers parse, nested objects assemble and bad JSON is a field error', () => {
    const header = ['kind', 'legalName', 'province', 'city', 's3Areas', 'trlMin', 'trlMax', 'lat', 'investorStages', 'ticketMinEur', 'ticketMaxEur'];
    const { value } = csvRecordToInput(header, [
      'investor',
      'Fondo',
      'MI',
      'Milano',
      'agrifood; eco_industry',
      '3',
      'x',
      '45.4',
      'seed;series_a',
      '1000',
      '5000',
    ]);
    expect(value).toMatchObject({
      kind: 'investor',
      s3Areas: ['agrifood', 'eco_industry'],
      trl: { min: 3, max: 'x' },
      location: { province: 'MI', city: 'Milano', lat: 45.4 },
      investor: { stages: ['seed', 'series_a'], ticketEur: { min: 1000, max: 5000 } },
    });
    expect(csvRecordToInput(['needs'], ['[oops']).errors).toEqual([{ field: 'needs', message: 'cell is not valid JSON' }]);
    expect(csvRecordToInput(['a', 'b'], ['1']).errors?.[0]?.field).toBe('(row)');
  });
});
