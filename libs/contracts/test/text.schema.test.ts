import { OrganisationInput, OrganisationPatch, lineText, multilineText } from '../src';

const company = {
  kind: 'company',
  subtype: 'startup',
  legalName: 'CardioSense S.r.l.',
  location: { province: 'MI', city: 'Milano' },
  s3Areas: ['health_life_sciences'],
};

const issuesOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));

describe('free text of people (names, titles, descriptions)', () => {
  // The payloads of the black-box probe: each one forged calendar events or spreadsheet rows, or spoofed a name.
  it.each([
    ['a bare CR', 'Acme\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Urgent - pay the registration fee', 'U+000D'],
    ['a LF', 'Acme\nX', 'U+000A'],
    ['a NUL', 'Acme\u0000', 'U+0000'],
    ['an ESC', 'Acme\u001b[31m', 'U+001B'],
    ['a NEL', 'Acme\u0085Corp', 'U+0085'],
    ['a tab', 'Acme\tCorp', 'U+0009'],
    ['a line separator', 'Acme\u2028Corp', 'U+2028'],
    ['a right-to-left override', 'Acme \u202Egnp.exe', 'U+202E'],
    ['a left-to-right isolate', 'Acme \u2066x', 'U+2066'],
  ])('when a legal name contains %s, then it is refused on legalName naming the character', (_what, legalName, codePoint) => {
    const r = OrganisationInput.safeParse({ ...company, legalName });
    expect(r.success).toBe(false);
    expect(issuesOf(r)).toEqual([{ field: 'legalName', message: expect.stringContaining(codePoint) }]);
  });

  it('when a name is typed with a combining accent, then it is stored in NFC (one code point per letter)', () => {
    const r = OrganisationInput.parse({ ...company, legalName: 'Universita\u0300 di Pavia' });
    expect(r.legalName).toBe('Universit\u00e0 di Pavia');
  });

  it('when a description has tabs, newlines and Windows line ends, then it is kept with LF only', () => {
    const r = OrganisationInput.parse({ ...company, description: [{ lang: 'en', text: 'Line one\r\nLine two\n\tindented' }] });
    expect(r.description[0]!.text).toBe('Line one\nLine two\n\tindented');
  });

  it('when a description has a bare CR or a bidi override, then the nested field is named', () => {
    const r = OrganisationInput.safeParse({
      ...company,
      description: [
        { lang: 'en', text: 'ok' },
        { lang: 'it', text: 'a\rb' },
      ],
    });
    expect(issuesOf(r).map((i) => i.field)).toEqual(['description.1.text']);
    const p = OrganisationPatch.safeParse({ needs: [{ type: 'clinical_trials', title: 'Trial \u202Eevil' }] });
    expect(issuesOf(p).map((i) => i.field)).toEqual(['needs.0.title']);
  });

  it('when city, contact or website carry a control character, then each field is refused', () => {
    const r = OrganisationInput.safeParse({
      ...company,
      location: { province: 'MI', city: 'Milano\r=1+2' },
      contacts: [{ name: 'Anna\u0000', email: 'anna@example.it' }],
      website: 'https://acme.example.it/\r\n=cmd',
    });
    expect(
      issuesOf(r)
        .map((i) => i.field)
        .sort(),
    ).toEqual(['contacts.0.name', 'location.city', 'website']);
  });

  it('when ordinary international text is given, then it is accepted unchanged', () => {
    for (const s of ['Zürich AG', 'Ñandú S.L.', 'Ospedale San Raffaele – IRCCS', '北京大学', 'جامعة القاهرة', 'O\'Brien & Co., "Quoted"; =not-a-formula']) {
      expect(lineText({ max: 200 }).parse(s)).toBe(s);
    }
    expect(multilineText({ max: 50 }).parse('  two\nlines  ')).toBe('two\nlines');
  });
});
