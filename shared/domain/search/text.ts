/**
 * Text for search, pure: one form per word (case, apostrophes, ґ), a light stemmer for Ukrainian
 * and English, and words with their places in the original text (for snippets).
 */

/** The apostrophes people type in Ukrainian words: ʼ (U+02BC), ' (U+0027), ’ (U+2019), ‘, ` and ′. */
const APOSTROPHES = /['\u02BC\u2019\u2018`\u2032]/gu;

/** A word: letters and digits, apostrophes inside it (м'ясо, пʼять), combining marks kept. */
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['\u02BC\u2019\u2018`\u2032][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*/gu;

export interface Token {
  /** Normalized form (see `normalizeWord`). */
  readonly word: string;
  /** UTF-16 offsets of the word in the text it was read from. */
  readonly start: number;
  readonly end: number;
}

const normalized = new Map<string, string>();

/** One form for a word: NFC, lowercase, without apostrophes or combining accents, ґ as г. */
export function normalizeWord(word: string): string {
  let n = normalized.get(word);
  if (n === undefined) {
    n = normalizeUncached(word);
    if (normalized.size >= 200_000) normalized.clear();
    normalized.set(word, n);
  }
  return n;
}

function normalizeUncached(word: string): string {
  return word
    .normalize('NFD')
    // Stress marks and other accents (but not the breve of й nor the diaeresis of ї: recomposed below).
    .replace(/[\u0300\u0301\u0302\u0303\u0304\u0309\u0323]/gu, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(/ґ/gu, 'г');
}

/** One regular expression for the synchronous scanners below (its lastIndex is theirs: no yield, no re-entry while one runs). */
const SCAN = new RegExp(WORD.source, 'gu');

/**
 * Calls `visit` with each word of `text` from offset `from` (normalized, and its UTF-16 offsets),
 * until `visit` returns true. Synchronous, no generator and no match objects kept: the hot path of
 * snippets. Returns the offset where it stopped (the end of the last word visited).
 */
export function scanWords(text: string, from: number, visit: (word: string, start: number, end: number) => boolean | void): number {
  SCAN.lastIndex = from;
  for (let match = SCAN.exec(text); match !== null; match = SCAN.exec(text)) {
    const start = match.index;
    const end = SCAN.lastIndex;
    const word = normalizeWord(match[0]);
    if (word.length > 0 && visit(word, start, end) === true) return end;
  }
  return text.length;
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  scanWords(text, 0, (word, start, end) => {
    out.push({ word, start, end });
  });
  return out;
}

/** The words of a text one by one, for a reader that may stop early. */
export function* tokens(text: string): Generator<Token> {
  for (const match of text.matchAll(WORD)) {
    const word = normalizeWord(match[0]);
    if (word.length > 0) yield { word, start: match.index, end: match.index + match[0].length };
  }
}


const CYRILLIC = /[\u0400-\u04FF]/u;

/** Ukrainian endings (case, number, gender, a few verb forms), longest first. */
const UK_ENDINGS = [
  'ьому', 'ього', 'ами', 'ями', 'ові', 'еві', 'єві', 'ими', 'іми', 'ого', 'ому', 'ати', 'яти', 'ити', 'іти', 'ють', 'ать', 'ять', 'ить',
  'ах', 'ях', 'ам', 'ям', 'ом', 'ем', 'єм', 'ою', 'ею', 'єю', 'ів', 'їв', 'ей', 'ий', 'ій', 'ої', 'их', 'им', 'ім', 'ая', 'яя', 'ую', 'юю', 'еє', 'іє',
  'а', 'я', 'о', 'е', 'є', 'и', 'і', 'ї', 'у', 'ю', 'ь', 'й',
].sort((a, b) => b.length - a.length);

const UK_VOWELS = new Set('аеєиіїоуюя');
const isUkConsonant = (ch: string | undefined) => ch !== undefined && /[\p{L}]/u.test(ch) && !UK_VOWELS.has(ch) && ch !== 'ь';

/**
 * A light Ukrainian stemmer: the longest ending is cut, leaving at least three letters; then a
 * vowel that comes and goes between the last two consonants (лавка/лавок, стіл/столу, школа/шкіл)
 * is dropped, so these forms meet: "лавка", "лавки", "лавок", "лавками" all give "лавк".
 */
function stemUkrainian(word: string): string {
  let stem = word;
  for (const ending of UK_ENDINGS) {
    if (word.endsWith(ending) && word.length - ending.length >= 3) {
      stem = word.slice(0, -ending.length);
      break;
    }
  }
  const n = stem.length;
  if (n >= 4 && isUkConsonant(stem[n - 3]) && 'оеі'.includes(stem[n - 2]!) && isUkConsonant(stem[n - 1])) {
    stem = stem.slice(0, n - 2) + stem[n - 1];
  }
  return stem;
}

/** A light English stemmer: plurals, -ing, -ed, possessives. */
function stemEnglish(word: string): string {
  let w = word.endsWith("'s") ? word.slice(0, -2) : word;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(?:ch|sh|x|z|ss)es$/u.test(w) && w.length > 4) return w.slice(0, -2);
  if (w.endsWith('s') && w.length > 3 && !/(?:ss|us|is)$/u.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) return w.slice(0, -3);
  if (w.endsWith('ed') && w.length > 4) return w.slice(0, -2);
  return w;
}

const memo = new Map<string, string>();
const MEMO_LIMIT = 200_000;

/** The stem of a normalized word: Ukrainian rules for Cyrillic words, English ones otherwise; numbers as they are. */
export function stem(word: string): string {
  let s = memo.get(word);
  if (s === undefined) {
    s = /^\p{N}+$/u.test(word) ? word : CYRILLIC.test(word) ? stemUkrainian(word) : stemEnglish(word);
    // A bounded memo (a city's vocabulary is tens of thousands of words): stemming is the hot path of snippets.
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(word, s);
  }
  return s;
}

/** Words too common to narrow a search; dropped from a query unless it has nothing else. */
const STOP_WORDS: ReadonlySet<string> = new Set([
  'і', 'й', 'та', 'в', 'у', 'на', 'з', 'із', 'зі', 'до', 'про', 'для', 'по', 'що', 'як', 'не', 'а', 'чи', 'від', 'за', 'при', 'це',
  'the', 'a', 'an', 'of', 'in', 'on', 'for', 'to', 'and', 'or', 'at', 'by', 'is', 'be', 'with',
]);

export const isStopWord = (word: string) => STOP_WORDS.has(word);

/**
 * Whether a and b are at most one edit apart (one letter inserted, deleted, replaced, or two
 * neighbouring letters swapped): the typo tolerance.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    // Replace one letter, or swap two neighbours.
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  // Insert or delete one letter.
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
