import { isStopWord, normalizeWord, stem, tokenize, tokens, withinOneEdit, type Token } from './text.ts';

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
  /**
   * stem -> the documents that hold it (ascending document numbers) and the weight in each (title
   * 3, text 1; the larger). Typed arrays, not maps: a common word's list is read whole on every
   * query, and this is the hot loop of a search.
   */
  private readonly postings = new Map<string, Postings>();
  /** Typo expansions of query words already seen (this index's vocabulary is fixed). */
  private readonly expansions = new Map<string, Map<string, number>>();
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
    const building = new Map<string, Map<number, number>>();
    this.docs.forEach((doc, n) => {
      this.add(building, doc.title, n, TITLE_WEIGHT);
      this.add(building, doc.text, n, TEXT_WEIGHT);
    });
    for (const [s, docs] of building) {
      // Documents were added in order, so each list is already ascending.
      const list: Postings = { docs: new Uint32Array(docs.size), weights: new Uint8Array(docs.size) };
      let i = 0;
      for (const [doc, weight] of docs) {
        list.docs[i] = doc;
        list.weights[i++] = weight;
      }
      this.postings.set(s, list);
    }
    for (const word of this.vocabulary.keys()) {
      const list = this.byLength.get(word.length) ?? [];
      list.push(word);
      this.byLength.set(word.length, list);
    }
  }

  private add(postings: Map<string, Map<number, number>>, text: string, n: number, weight: number) {
    for (const { word } of tokenize(text)) {
      let s = this.vocabulary.get(word);
      if (s === undefined) {
        s = stem(word);
        this.vocabulary.set(word, s);
      }
      let docs = postings.get(s);
      if (!docs) {
        docs = new Map();
        postings.set(s, docs);
      }
      if ((docs.get(n) ?? 0) < weight) docs.set(n, weight);
    }
  }

  /** The stems a query word stands for: its own, and (5+ letters) those of words one typo away. */
  private expand(word: string): Map<string, number> {
    let known = this.expansions.get(word);
    if (!known) {
      known = this.expandUncached(word);
      if (this.expansions.size >= 10_000) this.expansions.clear();
      this.expansions.set(word, known);
    }
    return known;
  }

  private expandUncached(word: string): Map<string, number> {
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
    return this.page(query, { ...options, offset: 0, limit: Number.MAX_SAFE_INTEGER }).hits;
  }

  /**
   * One page of `search`: the hits from `offset` to `offset + limit`, and how many there are in
   * all. Only that page is put in order (a bounded heap), not every match: a query for a common
   * word matches most of a city's items, and sorting them all was most of a search's time.
   */
  page(query: string, options: { type?: SearchType | undefined; include?: (doc: SearchDoc) => boolean; offset: number; limit: number }): { hits: Hit[]; total: number } {
    const words = [...new Set(tokenize(query).map((t) => t.word))];
    const meaningful = words.filter((w) => !isStopWord(w));
    const terms = meaningful.length > 0 ? meaningful : words;
    if (terms.length === 0) return { hits: [], total: 0 };
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
        const { docs, weights } = postings;
        for (let i = 0; i < docs.length; i++) {
          const doc = docs[i]!;
          // Only documents that matched every earlier word can still match them all.
          if (matched[doc] !== t) continue;
          if (best[doc] === 0) touched.push(doc);
          const score = weights[i]! * factor;
          if (score > best[doc]!) best[doc] = score;
        }
      }
      if (touched.length === 0) return { hits: [], total: 0 };
      for (const doc of touched) {
        total[doc] = total[doc]! + best[doc]!;
        matched[doc] = t + 1;
        best[doc] = 0;
      }
    }
    const recency = this.recency;
    // Best score first; then newest (then document order, for one stored index).
    const before = (a: number, b: number) => total[a]! > total[b]! || (total[a] === total[b] && recency[a]! < recency[b]!);
    const keep = Math.min(n, options.offset + options.limit);
    const top = new TopK(keep, before);
    let count = 0;
    for (let doc = 0; doc < n; doc++) {
      if (matched[doc] !== terms.length) continue;
      const d = this.docs[doc]!;
      if (options.type !== undefined && d.type !== options.type) continue;
      if (options.include && !options.include(d)) continue;
      count++;
      top.offer(doc);
    }
    const hits = top.sorted().slice(options.offset).map((doc) => ({ doc: this.docs[doc]!, score: total[doc]!, stems }));
    return { hits, total: count };
  }

  /** The stem of a normalized word, from this index's vocabulary when it has it. */
  stemOf(word: string): string {
    return this.vocabulary.get(word) ?? stem(word);
  }
}

interface Postings {
  readonly docs: Uint32Array;
  readonly weights: Uint8Array;
}

/** The k first items under `before`, kept in a binary heap whose root is the last of them. */
class TopK {
  private readonly heap: number[] = [];
  constructor(
    private readonly k: number,
    private readonly before: (a: number, b: number) => boolean,
  ) {}

  offer(item: number): void {
    const heap = this.heap;
    if (this.k === 0) return;
    if (heap.length < this.k) {
      heap.push(item);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.before(heap[parent]!, heap[i]!)) break;
        [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
        i = parent;
      }
      return;
    }
    // Not better than the last kept: dropped.
    if (!this.before(item, heap[0]!)) return;
    heap[0] = item;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let last = i;
      if (l < heap.length && this.before(heap[last]!, heap[l]!)) last = l;
      if (r < heap.length && this.before(heap[last]!, heap[r]!)) last = r;
      if (last === i) break;
      [heap[last], heap[i]] = [heap[i]!, heap[last]!];
      i = last;
    }
  }

  sorted(): number[] {
    return [...this.heap].sort((a, b) => (this.before(a, b) ? -1 : this.before(b, a) ? 1 : 0));
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
 * matched: then the text's beginning), cut at word boundaries, with … where it was cut. Reads the
 * text only up to its first match, then the cut part: a search makes one per hit on its page.
 */
export function snippet(doc: SearchDoc, stems: ReadonlySet<string>, stemOf: (word: string) => string = stem): Snippet {
  const source = doc.text.length > 0 ? doc.text : doc.title;
  const words = tokens(source);
  const seen: Token[] = [];
  let first: Token | undefined;
  for (let next = words.next(); !next.done; next = words.next()) {
    seen.push(next.value);
    if (stems.has(stemOf(next.value.word))) {
      first = next.value;
      break;
    }
  }
  let start = first ? Math.max(0, first.start - BEFORE) : 0;
  let end = first ? Math.min(source.length, first.end + AFTER) : Math.min(source.length, BEFORE + AFTER);
  // Whole words only.
  if (start > 0) {
    const next = seen.find((t) => t.start >= start);
    start = next ? next.start : start;
  }
  if (end < source.length) {
    let last = seen.findLast((t) => t.end <= end);
    if (last === seen.at(-1)) {
      for (let next = words.next(); !next.done && next.value.end <= end; next = words.next()) last = next.value;
    }
    end = last ? last.end : end;
  }
  const prefix = start > 0 ? '…' : '';
  const text = `${prefix}${source.slice(start, end).replace(/\s+/gu, ' ')}${end < source.length ? '…' : ''}`;
  // Offsets after whitespace collapsing: recompute on the produced text.
  const highlights = tokenize(text).filter((t) => stems.has(stemOf(t.word))).map((t) => [t.start, t.end] as const);
  return { text, highlights };
}

/** Normalized words of a query, for a cursor's scope: the same search whatever its spelling. */
export const queryKey = (query: string) => tokenize(query).map((t) => normalizeWord(t.word)).join(' ');
