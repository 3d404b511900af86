import { translateStem } from './glossary';
import { stem } from './stemmer';
import { STOP_WORDS } from './stopwords';

/**
 * Language-aware normalisation done by the service, not by Elasticsearch analyzers (the local
 * distribution has none of them): the index stores the resulting terms in keyword arrays and
 * queries send terms normalised by this same function, so results are identical on any
 * distribution.
 */

/** Lowercase, strip accents (NFD + combining marks), keep letters and digits only. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, ' ');
}

export function tokenise(text: string): string[] {
  return fold(text)
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length >= 2 && !/^\d+$/.test(t));
}

/** One word → its normalised term, or undefined for stop words. */
export function normaliseToken(token: string): string | undefined {
  if (STOP_WORDS.has(token)) return undefined;
  return translateStem(stem(token));
}

/** Text → normalised terms in order (with repetitions). */
export function normaliseText(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenise(text)) {
    const term = normaliseToken(token);
    if (term) out.push(term);
  }
  return out;
}

/** Several texts → distinct terms, most frequent first, capped (keeps queries bounded). */
export function distinctTerms(texts: readonly string[], limit = Number.POSITIVE_INFINITY): string[] {
  const counts = new Map<string, number>();
  for (const t of texts) for (const term of normaliseText(t)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([term]) => term);
}

/**
 * Readable words for matched terms: the first original word of `texts` that normalises to each
 * term (for explanations: "clinical trials" rather than `clinic trial`).
 */
export function surfaceForms(terms: readonly string[], texts: readonly string[]): Map<string, string> {
  const wanted = new Set(terms);
  const out = new Map<string, string>();
  if (!wanted.size) return out;
  for (const text of texts) {
    for (const [term, word] of wordsOfText(text)) {
      if (wanted.has(term) && !out.has(term)) {
        out.set(term, word);
        if (out.size === wanted.size) return out;
      }
    }
  }
  return out;
}

/**
 * Text → each of its terms with the first word that normalises to it, in the order they first
 * occur, memoised: a candidate's texts are explained again in every ranking it appears in (20
 * candidates a request), and splitting and normalising them word by word was most of the cost
 * of an explanation. Bounded (cleared when full) like the word memo below.
 */
const textWords = new Map<string, ReadonlyMap<string, string>>();
const TEXT_WORDS_MAX = 5_000;
function wordsOfText(text: string): ReadonlyMap<string, string> {
  const known = textWords.get(text);
  if (known) return known;
  const words = new Map<string, string>();
  for (const raw of text.split(/[^\p{L}\p{N}]+/u)) {
    if (!raw) continue;
    const term = termOfWord(raw);
    if (term && !words.has(term)) words.set(term, raw.toLowerCase());
  }
  if (textWords.size >= TEXT_WORDS_MAX) textWords.clear();
  textWords.set(text, words);
  return words;
}

/**
 * Word → term, memoised: explanations normalise the same few thousand words of candidate texts
 * on every match request. Bounded (cleared when full) so odd input cannot grow it without limit.
 */
const wordTerms = new Map<string, string | undefined>();
const WORD_TERMS_MAX = 50_000;
function termOfWord(raw: string): string | undefined {
  if (wordTerms.has(raw)) return wordTerms.get(raw);
  const token = tokenise(raw)[0];
  const term = token ? normaliseToken(token) : undefined;
  if (wordTerms.size >= WORD_TERMS_MAX) wordTerms.clear();
  wordTerms.set(raw, term);
  return term;
}
