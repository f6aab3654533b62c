import { isStopWord, normalizeWord, stem, tokenize, withinOneEdit } from './text.ts';

/**
 * The search index of one community, pure. Stored as its documents only (compact); the inverted
 * index (stem -> documents) and the vocabulary (word -> stem) are built when it is loaded.
 */
export type SearchType = 'petition' | 'consultation' | 'project';

export interface SearchDoc {
  readonly type: SearchType;
  readonly id: string;
  /** Budget projects: their budget. */
  readonly budgetId?: string;
  readonly title: string;
  readonly text: string;
  /** Stored status; petitions and consultations follow the clock (see `statusAt`). */
  readonly status: string;
  readonly opensAt?: string | null;
  readonly closesAt?: string | null;
  /** Publication (or submission) time: the tie-break, newest first. */
  readonly at: string;
}

export interface StoredIndex {
  readonly version: 1;
  readonly community: string;
  /** Key `<type>:<id>`. */
  readonly docs: Record<string, SearchDoc>;
}

export const docKey = (doc: Pick<SearchDoc, 'type' | 'id'>) => `${doc.type}:${doc.id}`;

export const emptyIndex = (community: string): StoredIndex => ({ version: 1, community, docs: {} });

/** The status shown now: a petition open past its deadline is closed; a consultation is upcoming, open or closed. */
export function statusAt(doc: SearchDoc, now: Date): string {
  const t = now.getTime();
  if (doc.type === 'petition' && doc.status === 'open' && doc.closesAt && t >= Date.parse(doc.closesAt)) return 'closed';
  if (doc.type === 'consultation' && doc.opensAt && doc.closesAt) {
    if (t < Date.parse(doc.opensAt)) return 'upcoming';
    return t < Date.parse(doc.closesAt) ? 'open' : 'closed';
  }
  return doc.status;
}

const TITLE_WEIGHT = 3;
const TEXT_WEIGHT = 1;
/** A typo-tolerant match counts for less than an exact one. */
const FUZZY_FACTOR = 0.6;
/** Typos are forgiven in words of at least this many letters. */
export const FUZZY_MIN_LENGTH = 5;

export interface Hit {
  readonly doc: SearchDoc;
  readonly score: number;
  /** The stems the query stands for (with typo matches), for the snippet's highlights. */
  readonly stems: ReadonlySet<string>;
}

export class SearchIndex {
  readonly docs: SearchDoc[];
  /** stem -> document number -> weight (title 3, text 1; the larger). */
  private readonly postings = new Map<string, Map<number, number>>();
  /** Every normalized word seen, with its stem (for typo tolerance). */
  private readonly vocabulary = new Map<string, string>();
  /** Words by length, so a typo search reads only words one letter longer or shorter. */
  private readonly byLength = new Map<number, string[]>();

  /** Each document's place in newest-first order (the tie-break), computed once. */
  private readonly recency: Uint32Array;

  constructor(stored: StoredIndex) {
    this.docs = Object.values(stored.docs);
    const order = this.docs.map((_, n) => n).sort((a, b) => (this.docs[a]!.at < this.docs[b]!.at ? 1 : this.docs[a]!.at > this.docs[b]!.at ? -1 : a - b));
    this.recency = new Uint32Array(this.docs.length);
    order.forEach((doc, place) => {
      this.recency[doc] = place;
    });
    this.docs.forEach((doc, n) => {
      this.add(doc.title, n, TITLE_WEIGHT);
      this.add(doc.text, n, TEXT_WEIGHT);
    });
    for (const word of this.vocabulary.keys()) {
      const list = this.byLength.get(word.length) ?? [];
      list.push(word);
      this.byLength.set(word.length, list);
    }
  }

  private add(text: string, n: number, weight: number) {
    for (const { word } of tokenize(text)) {
      let s = this.vocabulary.get(word);
      if (s === undefined) {
        s = stem(word);
        this.vocabulary.set(word, s);
      }
      let docs = this.postings.get(s);
      if (!docs) {
        docs = new Map();
        this.postings.set(s, docs);
      }
      if ((docs.get(n) ?? 0) < weight) docs.set(n, weight);
    }
  }

  /** The stems a query word stands for: its own, and (5+ letters) those of words one typo away. */
  private expand(word: string): Map<string, number> {
    const out = new Map<string, number>([[stem(word), 1]]);
    if ([...word].length < FUZZY_MIN_LENGTH) return out;
    const own = stem(word);
    for (const length of [word.length - 1, word.length, word.length + 1]) {
      for (const candidate of this.byLength.get(length) ?? []) {
        if (candidate !== word && withinOneEdit(word, candidate)) {
          const s = this.vocabulary.get(candidate)!;
          if (!out.has(s)) out.set(s, FUZZY_FACTOR);
        }
      }
    }
    // A typo in the stem itself (the ending already cut): compare stems of similar length.
    if (own.length >= FUZZY_MIN_LENGTH - 1) {
      for (const s of this.postings.keys()) {
        if (!out.has(s) && Math.abs(s.length - own.length) <= 1 && withinOneEdit(own, s)) out.set(s, FUZZY_FACTOR);
      }
    }
    return out;
  }

  /**
   * Documents that match every word of the query (stop words aside), best first: the sum over
   * words of the best field weight, times 0.6 for a typo match; ties newest first.
   */
  search(query: string, options: { type?: SearchType | undefined } = {}): Hit[] {
    const words = [...new Set(tokenize(query).map((t) => t.word))];
    const meaningful = words.filter((w) => !isStopWord(w));
    const terms = meaningful.length > 0 ? meaningful : words;
    if (terms.length === 0) return [];
    const n = this.docs.length;
    const total = new Float64Array(n);
    const matched = new Uint16Array(n);
    const best = new Float64Array(n);
    const stems = new Set<string>();
    for (const [t, term] of terms.entries()) {
      const touched: number[] = [];
      for (const [s, factor] of this.expand(term)) {
        const postings = this.postings.get(s);
        if (!postings) continue;
        stems.add(s);
        for (const [doc, weight] of postings) {
          // Only documents that matched every earlier word can still match them all.
          if (matched[doc] !== t) continue;
          if (best[doc] === 0) touched.push(doc);
          const score = weight * factor;
          if (score > best[doc]!) best[doc] = score;
        }
      }
      if (touched.length === 0) return [];
      for (const doc of touched) {
        total[doc] = total[doc]! + best[doc]!;
        matched[doc] = t + 1;
        best[doc] = 0;
      }
    }
    const found: number[] = [];
    for (let doc = 0; doc < n; doc++) {
      if (matched[doc] === terms.length && (options.type === undefined || this.docs[doc]!.type === options.type)) found.push(doc);
    }
    const recency = this.recency;
    // Best score first; then newest (then document order, for one stored index).
    found.sort((a, b) => total[b]! - total[a]! || recency[a]! - recency[b]!);
    return found.map((doc) => ({ doc: this.docs[doc]!, score: total[doc]!, stems }));
  }
}

export interface Snippet {
  readonly text: string;
  /** [start, end) offsets of the matched words in `text`. */
  readonly highlights: readonly (readonly [number, number])[];
}

const BEFORE = 60;
const AFTER = 140;

/**
 * The part of the text around the first matched word (or the title's, when only the title
 * matched: then the text's beginning), cut at word boundaries, with … where it was cut.
 */
export function snippet(doc: SearchDoc, stems: ReadonlySet<string>): Snippet {
  const source = doc.text.length > 0 ? doc.text : doc.title;
  const tokens = tokenize(source);
  const matches = tokens.filter((t) => stems.has(stem(t.word)));
  const first = matches[0];
  let start = first ? Math.max(0, first.start - BEFORE) : 0;
  let end = first ? Math.min(source.length, first.end + AFTER) : Math.min(source.length, BEFORE + AFTER);
  // Whole words only.
  if (start > 0) {
    const next = tokens.find((t) => t.start >= start);
    start = next ? next.start : start;
  }
  if (end < source.length) {
    const last = [...tokens].reverse().find((t) => t.end <= end);
    end = last ? last.end : end;
  }
  const prefix = start > 0 ? '…' : '';
  const text = `${prefix}${source.slice(start, end).replace(/\s+/gu, ' ')}${end < source.length ? '…' : ''}`;
  // Offsets after whitespace collapsing: recompute on the produced text.
  const highlights = tokenize(text).filter((t) => stems.has(stem(t.word))).map((t) => [t.start, t.end] as const);
  return { text, highlights };
}

/** Normalized words of a query, for a cursor's scope: the same search whatever its spelling. */
export const queryKey = (query: string) => tokenize(query).map((t) => normalizeWord(t.word)).join(' ');
