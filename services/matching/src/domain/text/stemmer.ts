/**
 * A light, conservative suffix stripper for Italian and English, applied identically at index
 * and query time (so the result is the same on the local and the full Elasticsearch, which
 * only ever sees the stems). It folds inflection — plural, gender, -zione/-zioni, -ical — not
 * meaning: "sperimentazioni cliniche" and "sperimentazione clinica" both give
 * `sperimentazion clinic`; "clinical trials" and "clinical trial" give `clinic trial`.
 * One algorithm for both languages keeps cross-language coincidences (university/università →
 * `universit`) and needs no language detection for short query texts.
 */

const MIN_STEM = 3;

function stripEnd(word: string, suffix: string, replacement = ''): string | undefined {
  if (!word.endsWith(suffix)) return undefined;
  const stem = word.slice(0, word.length - suffix.length) + replacement;
  return stem.length >= MIN_STEM ? stem : undefined;
}

/** English plural and -ing/-ed inflection (words in Italian almost never end in s). */
function englishInflection(w: string): string {
  if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is')) return w;
  return stripEnd(w, 'ies', 'y') ?? stripEnd(w, 'sses', 'ss') ?? stripEnd(w, 'ing') ?? (w.length > 4 ? stripEnd(w, 's') : undefined) ?? w;
}

/** Italian -che/-chi/-ghe/-ghi keep the hard consonant: cliniche → clinic, analoghi → analog. */
function italianHardPlural(w: string): string | undefined {
  for (const [suffix, keep] of [
    ['che', 'c'],
    ['chi', 'c'],
    ['ghe', 'g'],
    ['ghi', 'g'],
  ] as const) {
    const s = stripEnd(w, suffix, keep);
    if (s) return s;
  }
  return undefined;
}

/** Final vowel (Italian gender/number, English silent e / y): medico|medici → medic, device → devic. */
function finalVowel(w: string): string {
  const last = w[w.length - 1];
  if (last && 'aeiouy'.includes(last) && w.length - 1 >= MIN_STEM) return w.slice(0, -1);
  return w;
}

/** English -al adjectives onto their noun: clinical → clinic, medical → medic. */
function adjectiveAl(w: string): string {
  if (w.length > 6 && w.endsWith('ical')) return w.slice(0, -2);
  return w;
}

export function stem(word: string): string {
  if (word.length <= MIN_STEM || /\d/.test(word)) return word;
  let w = englishInflection(word);
  w = italianHardPlural(w) ?? finalVowel(w);
  // A second vowel after "-ie"/"-ia" endings: tecnologia → tecnologi → tecnolog, technology → technolog.
  if (w.endsWith('i') && w.length > 5) w = w.slice(0, -1);
  return adjectiveAl(w);
}
