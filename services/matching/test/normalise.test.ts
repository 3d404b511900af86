import { distinctTerms, fold, normaliseText, surfaceForms } from '../src/domain/text';

const same = (a: string, b: string) => expect(normaliseText(a)).toEqual(normaliseText(b));
// Word order differs between the languages (adjective after the noun in Italian).
const sameSet = (a: string, b: string) => expect(normaliseText(a).sort()).toEqual(normaliseText(b).sort());

describe('text normalisation (service-side, identical on any Elasticsearch distribution)', () => {
  it.each([
    ['sperimentazioni cliniche', 'sperimentazione clinica'],
    ['dispositivi medici', 'dispositivo medico'],
    ['terapie geniche', 'terapia genica'],
    ['tecnologie innovative', 'tecnologia innovativa'],
    ['analisi dei dati', 'analisi del dato'],
    ['Università degli Studi', 'universita studio'],
  ])('when Italian inflections differ (%s / %s), then the terms are the same', same);

  it.each([
    ['clinical trials', 'clinical trial'],
    ['medical devices', 'medical device'],
    ['technologies', 'technology'],
    ['batteries for vehicles', 'battery vehicle'],
  ])('when English inflections differ (%s / %s), then the terms are the same', same);

  it.each([
    ['sperimentazione clinica', 'clinical trial'],
    ['dispositivi medici', 'medical devices'],
    ['intelligenza artificiale', 'artificial intelligence'],
    ['trasferimento tecnologico', 'technology transfer'],
  ])('when an Italian phrase has an English equivalent in the domain glossary (%s / %s), then the terms meet', sameSet);

  it('when text has accents, case and punctuation, then they are folded away', () => {
    expect(fold('Qualità ÈCCELLENTE')).toBe('qualita eccellente');
    expect(normaliseText("L'Università, il Politecnico!")).toEqual(normaliseText('universita politecnico'));
  });

  it('when text has Italian and English stop words, then they are dropped', () => {
    expect(normaliseText('the and of per il della con')).toEqual([]);
    expect(normaliseText('ricerca per la salute')).toHaveLength(2);
  });

  it('when different words are normalised, then they stay different', () => {
    expect(normaliseText('oncology')).not.toEqual(normaliseText('cardiology'));
    expect(normaliseText('pilot')).not.toEqual(normaliseText('trial'));
  });

  it('when several texts are combined, then distinct terms come most frequent first and are capped', () => {
    expect(distinctTerms(['trial trial device', 'trials'], 1)).toEqual(normaliseText('trial'));
    expect(distinctTerms(['a b c device sensor'])).toHaveLength(2);
  });

  it('when matched terms are shown, then the original words are used', () => {
    const [term] = normaliseText('clinical trials');
    expect(surfaceForms([term!], ['We run Clinical trials in oncology']).get(term!)).toBe('clinical');
  });

  it('when a term occurs in several texts and several words, then its word is the first one of the first text that has it, on every later call too', () => {
    const [device, trial] = normaliseText('device trial');
    const texts = ['Medical Devices for wards', 'one device, clinical trials and a trial site'];
    const expected = new Map([
      [device!, 'devices'],
      [trial!, 'trials'],
    ]);
    expect(surfaceForms([trial!, device!], texts)).toEqual(expected);
    // The texts' words are memoised: a second explanation over the same texts gives the same words.
    expect(surfaceForms([trial!, device!], texts)).toEqual(expected);
    expect(surfaceForms([trial!], texts.slice(1))).toEqual(new Map([[trial!, 'trials']]));
  });
});
