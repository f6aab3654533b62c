import { isStopWord, normalizeWord, scanWords, stem, tokenize, withinOneEdit } from './text.ts';

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

const TYPE_CODES: Readonly<Record<SearchType, number>> = { petition: 1, consultation: 2, project: 3 };

/**
 * Whether a document may be served: only what is public ever was indexed (see the indexer); the
 * search function checks again, whatever an old index may hold.
 */
export const isPublicDoc = (doc: SearchDoc) => doc.type !== 'petition' || doc.status === 'open' || doc.status === 'rejected';

export interface Hit {
  readonly doc: SearchDoc;
  readonly score: number;
  /** The stems the query stands for (with typo matches), for the snippet's highlights. */
  readonly stems: ReadonlySet<string>;
  /** The document's number in this index (for `SearchIndex.snippet`). */
  readonly n: number;
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
  /** Every normalized word seen, with its stem's number (for typo tolerance and snippets). */
  private readonly vocabulary = new Map<string, number>();
  /** Words by length, so a typo search reads only words one letter longer or shorter. */
  private readonly byLength = new Map<number, string[]>();

  /**
   * Scratch of `page`, one slot per document, reused by every search of this index (a search is
   * synchronous, so two never share them) and left zeroed after each: no per-request allocation
   * of three arrays the size of the city's items.
   */
  private readonly total: Float64Array;
  private readonly matched: Uint16Array;
  private readonly best: Float64Array;
  /** The documents a search's first word touched, and those a later word did. */
  private readonly firstList: Uint32Array;
  private readonly laterList: Uint32Array;

  /**
   * The words of each document's snippet source (its text, else its title), read once when the
   * index is built: document n's are from `wordsFrom[n]` to `wordsFrom[n + 1]`, each with its
   * stem's number and its offsets. A snippet then reads numbers, not the text.
   */
  private readonly wordsFrom: Uint32Array;
  private readonly wordStem: Int32Array;
  private readonly wordStart: Uint32Array;
  private readonly wordEnd: Uint32Array;
  /** Stem -> its number (the vocabulary's and the words' above), and back. */
  private readonly stemNumbers = new Map<string, number>();
  private readonly stems: string[] = [];

  /** Each document's type, by number: the type filter reads no document object. */
  private readonly types: Uint8Array;

  /**
   * `include`: the documents to serve; the others are left out of the index altogether (neither
   * found nor offered as a typo's correction).
   */
  constructor(stored: StoredIndex, options: { include?: (doc: SearchDoc) => boolean } = {}) {
    // Documents are numbered newest first (then in stored order): a document's number is its place
    // in the tie-break, and the postings, built in that order, are ascending.
    const given = options.include ? Object.values(stored.docs).filter(options.include) : Object.values(stored.docs);
    const order = given.map((_, n) => n).sort((a, b) => (given[a]!.at < given[b]!.at ? 1 : given[a]!.at > given[b]!.at ? -1 : a - b));
    this.docs = order.map((n) => given[n]!);
    this.total = new Float64Array(this.docs.length);
    this.matched = new Uint16Array(this.docs.length);
    this.best = new Float64Array(this.docs.length);
    this.firstList = new Uint32Array(this.docs.length);
    this.laterList = new Uint32Array(this.docs.length);
    this.types = Uint8Array.from(this.docs, (doc) => TYPE_CODES[doc.type]);
    // By stem number: the documents that hold it (ascending: added in order) and the weight in each.
    const building: { docs: number[]; weights: number[] }[] = [];
    const wordsFrom = new Uint32Array(this.docs.length + 1);
    const words: { stem: number[]; start: number[]; end: number[] } = { stem: [], start: [], end: [] };
    this.docs.forEach((doc, n) => {
      wordsFrom[n] = words.stem.length;
      const textIsSource = doc.text.length > 0;
      this.add(building, doc.title, n, TITLE_WEIGHT, textIsSource ? undefined : words);
      this.add(building, doc.text, n, TEXT_WEIGHT, textIsSource ? words : undefined);
    });
    wordsFrom[this.docs.length] = words.stem.length;
    this.wordsFrom = wordsFrom;
    this.wordStem = Int32Array.from(words.stem);
    this.wordStart = Uint32Array.from(words.start);
    this.wordEnd = Uint32Array.from(words.end);
    building.forEach((list, number) => {
      this.postings.set(this.stems[number]!, { docs: Uint32Array.from(list.docs), weights: Uint8Array.from(list.weights) });
    });
    for (const word of this.vocabulary.keys()) {
      const list = this.byLength.get(word.length) ?? [];
      list.push(word);
      this.byLength.set(word.length, list);
    }
  }

  private add(building: { docs: number[]; weights: number[] }[], text: string, n: number, weight: number, words?: { stem: number[]; start: number[]; end: number[] }) {
    scanWords(text, 0, (word, start, end) => {
      let number = this.vocabulary.get(word);
      if (number === undefined) {
        const s = stem(word);
        number = this.stemNumbers.get(s);
        if (number === undefined) {
          number = this.stems.length;
          this.stems.push(s);
          this.stemNumbers.set(s, number);
          building.push({ docs: [], weights: [] });
        }
        this.vocabulary.set(word, number);
      }
      if (words) {
        words.stem.push(number);
        words.start.push(start);
        words.end.push(end);
      }
      const list = building[number]!;
      const last = list.docs.length - 1;
      if (last >= 0 && list.docs[last] === n) {
        if (list.weights[last]! < weight) list.weights[last] = weight;
      } else {
        list.docs.push(n);
        list.weights.push(weight);
      }
      return false;
    });
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
          const s = this.stems[this.vocabulary.get(candidate)!]!;
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
    const { total, matched, best } = this;
    const stems = new Set<string>();
    // The documents the first word touched (in `firstList`): every slot of the scratch a search
    // writes (a later word only counts for documents that matched the earlier ones), zeroed again
    // at the end.
    let firstCount = 0;
    const { firstList, laterList } = this;
    try {
      // After the loop: the documents that match every word, `list` up to `count`.
      let list = firstList;
      let count = 0;
      for (let t = 0; t < terms.length; t++) {
        list = t === 0 ? firstList : laterList;
        count = 0;
        for (const [s, factor] of this.expand(terms[t]!)) {
          const postings = this.postings.get(s);
          if (!postings) continue;
          stems.add(s);
          const { docs, weights } = postings;
          for (let i = 0; i < docs.length; i++) {
            const doc = docs[i]!;
            // Only documents that matched every earlier word can still match them all.
            if (matched[doc] !== t) continue;
            if (best[doc] === 0) list[count++] = doc;
            const score = weights[i]! * factor;
            if (score > best[doc]!) best[doc] = score;
          }
          if (t === 0) firstCount = count;
        }
        if (count === 0) return { hits: [], total: 0 };
        for (let i = 0; i < count; i++) {
          const doc = list[i]!;
          total[doc] = total[doc]! + best[doc]!;
          matched[doc] = t + 1;
          best[doc] = 0;
        }
      }
      const keep = Math.min(count, options.offset + options.limit);
      const top = new TopK(keep, total);
      let found = 0;
      const type = options.type === undefined ? 0 : TYPE_CODES[options.type];
      const { types, docs } = this;
      for (let i = 0; i < count; i++) {
        const doc = list[i]!;
        if (type !== 0 && types[doc] !== type) continue;
        if (options.include && !options.include(docs[doc]!)) continue;
        found++;
        top.offer(doc);
      }
      const hits = top.sorted().slice(options.offset).map((doc) => ({ doc: this.docs[doc]!, score: total[doc]!, stems, n: doc }));
      return { hits, total: found };
    } finally {
      for (let i = 0; i < firstCount; i++) {
        const doc = firstList[i]!;
        total[doc] = 0;
        matched[doc] = 0;
        best[doc] = 0;
      }
    }
  }

  /**
   * The snippet of a hit: the same as `snippet(hit.doc, hit.stems, (w) => this.stemOf(w))`, from
   * the words read when the index was built (no reading of the text on a search).
   */
  snippet(hit: Hit): Snippet {
    const doc = this.docs[hit.n]!;
    if (doc !== hit.doc) throw new Error('The hit is not from this index.');
    const source = doc.text.length > 0 ? doc.text : doc.title;
    const searched = new Set<number>();
    for (const s of hit.stems) {
      const number = this.stemNumbers.get(s);
      if (number !== undefined) searched.add(number);
    }
    const from = this.wordsFrom[hit.n]!;
    const to = this.wordsFrom[hit.n + 1]!;
    const { wordStem, wordStart, wordEnd } = this;
    let first = from;
    while (first < to && !searched.has(wordStem[first]!)) first++;
    const found = first < to;
    let start = found ? Math.max(0, wordStart[first]! - BEFORE) : 0;
    let end = found ? Math.min(source.length, wordEnd[first]! + AFTER) : Math.min(source.length, BEFORE + AFTER);
    // Whole words only: the first word from the start, the last one up to the end.
    let a = from;
    if (start > 0) {
      while (a < to && wordStart[a]! < start) a++;
      // No word there (cannot be with a match): the plain reading decides.
      if (a === to) return snippet(doc, hit.stems, (w) => this.stemOf(w));
      start = wordStart[a]!;
    }
    let b = a; // One past the last word kept.
    while (b < to && wordEnd[b]! <= end) b++;
    if (end < source.length) {
      // Not a word that ends before the cut (one long word): the plain reading decides.
      if (b === a) return snippet(doc, hit.stems, (w) => this.stemOf(w));
      end = wordEnd[b - 1]!;
    }
    // The kept words, the gaps between them with runs of white space made one space (as the
    // plain reading does on the whole cut); the highlights' offsets known as it is put together.
    const prefix = start > 0 ? '…' : '';
    let text = prefix;
    const highlights: (readonly [number, number])[] = [];
    let at = start;
    for (let i = a; i < b; i++) {
      const gap = source.slice(at, wordStart[i]!);
      text += gap === ' ' || gap === '' ? gap : gap.replace(/\s+/gu, ' ');
      const wordText = source.slice(wordStart[i]!, wordEnd[i]!);
      if (searched.has(wordStem[i]!)) highlights.push([text.length, text.length + wordText.length]);
      text += wordText;
      at = wordEnd[i]!;
    }
    const tail = source.slice(at, end);
    text += tail.replace(/\s+/gu, ' ');
    if (end < source.length) text += '…';
    return { text, highlights };
  }

  /** The stem of a normalized word, from this index's vocabulary when it has it. */
  stemOf(word: string): string {
    const number = this.vocabulary.get(word);
    return number === undefined ? stem(word) : this.stems[number]!;
  }
}

interface Postings {
  readonly docs: Uint32Array;
  readonly weights: Uint8Array;
}

/**
 * The k best documents, best score first, then the lower number (newer): kept in a binary heap
 * whose root is the last of them.
 */
class TopK {
  private readonly heap: number[] = [];
  constructor(
    private readonly k: number,
    private readonly score: Float64Array,
  ) {}

  /** Whether document a comes before document b. */
  private before(a: number, b: number): boolean {
    const sa = this.score[a]!;
    const sb = this.score[b]!;
    return sa > sb || (sa === sb && a < b);
  }

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
  // The words up to the first match (their offsets: the cut points are chosen among them).
  const starts: number[] = [];
  const ends: number[] = [];
  let firstStart = -1;
  let firstEnd = -1;
  const stopped = scanWords(source, 0, (word, wordStart, wordEnd) => {
    starts.push(wordStart);
    ends.push(wordEnd);
    if (!stems.has(stemOf(word))) return false;
    firstStart = wordStart;
    firstEnd = wordEnd;
    return true;
  });
  const found = firstStart >= 0;
  let start = found ? Math.max(0, firstStart - BEFORE) : 0;
  let end = found ? Math.min(source.length, firstEnd + AFTER) : Math.min(source.length, BEFORE + AFTER);
  // Whole words only.
  if (start > 0) start = starts.find((s) => s >= start) ?? start;
  if (end < source.length) {
    let last = -1;
    for (let i = ends.length - 1; i >= 0; i--) {
      if (ends[i]! <= end) {
        last = i;
        break;
      }
    }
    let lastEnd = last >= 0 ? ends[last]! : -1;
    // The cut is past the words read so far: read on to it.
    if (found && last === ends.length - 1) {
      scanWords(source, stopped, (_word, _start, wordEnd) => {
        if (wordEnd > end) return true;
        lastEnd = wordEnd;
        return false;
      });
    }
    if (lastEnd >= 0) end = lastEnd;
  }
  const prefix = start > 0 ? '…' : '';
  const text = `${prefix}${source.slice(start, end).replace(/\s+/gu, ' ')}${end < source.length ? '…' : ''}`;
  // Offsets after whitespace collapsing: read on the produced text.
  const highlights: (readonly [number, number])[] = [];
  scanWords(text, 0, (word, wordStart, wordEnd) => {
    if (stems.has(stemOf(word))) highlights.push([wordStart, wordEnd]);
    return false;
  });
  return { text, highlights };
}

/** Normalized words of a query, for a cursor's scope: the same search whatever its spelling. */
export const queryKey = (query: string) => tokenize(query).map((t) => normalizeWord(t.word)).join(' ');
