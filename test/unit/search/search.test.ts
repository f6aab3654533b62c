import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SearchIndex, snippet, statusAt, type SearchDoc, type StoredIndex } from '#shared/domain/search/index.ts';
import { normalizeWord, stem, tokenize, withinOneEdit } from '#shared/domain/search/text.ts';

const doc = (id: string, title: string, text: string, extra: Partial<SearchDoc> = {}): SearchDoc =>
  ({ type: 'petition', id, title, text, status: 'open', at: '2026-01-01T00:00:00.000Z', ...extra });

const index = (...docs: SearchDoc[]) =>
  new SearchIndex({ version: 1, community: 'x', docs: Object.fromEntries(docs.map((d) => [`${d.type}:${d.id}`, d])) } satisfies StoredIndex);

describe('normalizing and stemming', () => {
  it('ignores case, the three apostrophes and ґ/г', () => {
    expect(normalizeWord('ПʼЯТЬ')).toBe('пять');
    expect(normalizeWord("п'ять")).toBe('пять');
    expect(normalizeWord('п’ять')).toBe('пять');
    expect(normalizeWord('Ґанок')).toBe('ганок');
    expect(tokenize("М'ясо, п’ять — ok!").map((t) => t.word)).toEqual(['мясо', 'пять', 'ok']);
  });

  it('brings Ukrainian inflections together', () => {
    for (const form of ['лавка', 'лавки', 'лавок', 'лавками', 'лавці'.replace('ц', 'к'), 'лавкою', 'Лавку']) {
      expect(stem(normalizeWord(form)), form).toBe('лавк');
    }
    expect(stem('вулиця')).toBe(stem('вулиці'));
    expect(stem('вулиць')).toBe(stem('вулицею'));
    expect(stem('школа')).toBe(stem('шкіл'));
    expect(stem('парку')).toBe(stem('парк'));
    expect(stem('освітлення')).toBe(stem('освітленням'));
    expect(stem('benches')).toBe('bench');
    expect(stem('lights')).toBe('light');
    expect(stem('2026')).toBe('2026');
  });

  it('one edit: insert, delete, replace, swap; never two', () => {
    expect(withinOneEdit('лавка', 'лавкa'.replace('a', 'а'))).toBe(true);
    expect(withinOneEdit('освітлення', 'освітленя')).toBe(true);
    expect(withinOneEdit('зупинка', 'зупинак')).toBe(true);
    expect(withinOneEdit('зупинка', 'зупинкаа')).toBe(true);
    expect(withinOneEdit('зупинка', 'зупника')).toBe(true);
    expect(withinOneEdit('зупинка', 'зпника')).toBe(false);
    expect(withinOneEdit('abc', 'cba')).toBe(false);
  });

  it('withinOneEdit agrees with a Levenshtein/transposition distance of at most one', () => {
    const dl = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      }
      return d[a.length]![b.length]!;
    };
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('а', 'б', 'в', 'к'), maxLength: 7 }), fc.string({ unit: fc.constantFrom('а', 'б', 'в', 'к'), maxLength: 7 }), (a, b) => {
      expect(withinOneEdit(a, b)).toBe(dl(a, b) <= 1);
    }));
  });
});

describe('matching and ranking', () => {
  const idx = index(
    doc('bench', 'Більше лавок у парку Шевченка', 'Просимо встановити двадцять нових лавок уздовж алей парку.', { at: '2026-01-02T00:00:00.000Z' }),
    doc('light', 'Нічне освітлення на вулиці Руській', 'Просимо встановити ліхтарі, бо лавка біля зупинки в темряві.', { at: '2026-01-03T00:00:00.000Z' }),
    doc('poll', 'Де облаштувати новий сквер?', 'Опитування мешканців', { type: 'consultation' }),
    doc('en', 'More benches in Shevchenko park', 'Please install new benches.'),
  );
  const ids = (q: string, type?: 'petition' | 'consultation') => idx.search(q, { type }).map((h) => h.doc.id);

  it('finds inflected and differently-cased Ukrainian words, title matches first', () => {
    expect(ids('лавка')).toEqual(['bench', 'light']);
    expect(ids('ЛАВКАМИ')).toEqual(['bench', 'light']);
    expect(ids('лавки')).toEqual(['bench', 'light']);
    expect(ids('лавок парк')).toEqual(['bench']);
    expect(ids('bench')).toEqual(['en']);
  });

  it('forgives one typo in words of five letters or more, not in shorter ones', () => {
    expect(ids('освітленя')).toEqual(['light']);
    expect(ids('Шевчнка')).toContain('bench');
    expect(ids('скевр')).toEqual(['poll']);
    expect(ids('парл')).toEqual([]);
  });

  it('requires every word, drops stop words, filters by type', () => {
    expect(ids('лавки на вулиці')).toEqual(['light']);
    expect(ids('сквер', 'petition')).toEqual([]);
    expect(ids('сквер', 'consultation')).toEqual(['poll']);
    expect(ids('')).toEqual([]);
    expect(ids('!!!')).toEqual([]);
  });

  it('snippets show the match, cut at word boundaries', () => {
    const long = doc('long', 'Заголовок', `${'Вступ до теми. '.repeat(20)}Треба поставити лавки біля школи. ${'Кінець тексту. '.repeat(20)}`);
    const hit = index(long).search('лавка')[0]!;
    const s = snippet(long, hit.stems);
    expect(s.text).toMatch(/^….*лавки біля школи.*…$/u);
    expect(s.highlights).toHaveLength(1);
    const [a, b] = s.highlights[0]!;
    expect(s.text.slice(a, b)).toBe('лавки');
    expect(s.text.length).toBeLessThan(230);
  });

  it('leaves out, at build, what is not to be served: not found, not even as a typo\'s correction', () => {
    const served = new SearchIndex({ version: 1, community: 'x', docs: {
      'petition:open': doc('open', 'Фонтан у сквері', 'Відремонтувати фонтан'),
      'petition:draft': doc('draft', 'Чернетка про каруселі', 'Каруселі у парку', { status: 'draft' }),
    } }, { include: (d) => d.status === 'open' });
    expect(served.search('фонтан').map((h) => h.doc.id)).toEqual(['open']);
    expect(served.search('каруселі')).toEqual([]);
    expect(served.search('карусeлі')).toEqual([]);
    expect(served.search('парку')).toEqual([]);
    expect(served.docs.map((d) => d.id)).toEqual(['open']);
  });

  it('statuses follow the clock', () => {
    const now = new Date('2026-02-01T00:00:00.000Z');
    expect(statusAt(doc('a', 't', 'x', { closesAt: '2026-01-31T00:00:00.000Z' }), now)).toBe('closed');
    expect(statusAt(doc('a', 't', 'x', { closesAt: '2026-02-02T00:00:00.000Z' }), now)).toBe('open');
    expect(statusAt(doc('c', 't', 'x', { type: 'consultation', status: 'consultation', opensAt: '2026-02-02T00:00:00.000Z', closesAt: '2026-02-03T00:00:00.000Z' }), now)).toBe('upcoming');
  });
});

describe('pages and snippets, against the plain reading', () => {
  /** The snippet as first written: the whole text tokenized twice. The fast one must agree with it. */
  function plainSnippet(d: SearchDoc, stems: ReadonlySet<string>) {
    const source = d.text.length > 0 ? d.text : d.title;
    const all = tokenize(source);
    const first = all.find((t) => stems.has(stem(t.word)));
    let start = first ? Math.max(0, first.start - 60) : 0;
    let end = first ? Math.min(source.length, first.end + 140) : Math.min(source.length, 200);
    if (start > 0) start = all.find((t) => t.start >= start)?.start ?? start;
    if (end < source.length) end = [...all].reverse().find((t) => t.end <= end)?.end ?? end;
    return `${start > 0 ? '…' : ''}${source.slice(start, end).replace(/\s+/gu, ' ')}${end < source.length ? '…' : ''}`;
  }
  const vocabulary = ['лавка', 'лавки', 'лавок', 'парк', 'парку', "м'ясо", 'пʼять', 'школа', 'шкіл', 'bench', 'benches', 'дорога', 'і', 'та', '12'];
  const text = fc.array(fc.tuple(fc.constantFrom(...vocabulary), fc.constantFrom(' ', ', ', '. ', '\n', ' — ', "' ", '  ')), { maxLength: 120 })
    .map((parts) => parts.map(([w, sep]) => w + sep).join(''));

  it('a snippet reads the same as the plain reading, for any text and query', () => {
    fc.assert(fc.property(text, fc.constantFrom(...vocabulary), (body, q) => {
      const d = doc('a', 'Заголовок', body);
      const hit = index(d).search(q)[0];
      const stems = hit?.stems ?? new Set([stem(normalizeWord(q))]);
      const fast = snippet(d, stems);
      expect(fast.text).toBe(plainSnippet(d, stems));
      // Highlights: every word of the snippet whose stem is searched, and only those.
      expect(fast.highlights).toEqual(tokenize(fast.text).filter((t) => stems.has(stem(t.word))).map((t) => [t.start, t.end]));
    }), { numRuns: 400 });
  });

  it("the index's snippet (from words read at build) is the snippet, for any text, title-only documents and long words", () => {
    const gaps = fc.constantFrom(' ', ', ', '.  ', '\n\n', '\t', ' \u00A0 ', ' — ', "' ", '', '…');
    const word = fc.oneof(fc.constantFrom(...vocabulary, 'Лавки', 'ПАРКУ'), fc.constant('лавка'.repeat(50)), fc.string({ maxLength: 6 }));
    const body = fc.array(fc.tuple(word, gaps), { maxLength: 150 }).map((parts) => parts.map(([w, g]) => w + g).join(''));
    fc.assert(fc.property(body, body, fc.constantFrom(...vocabulary, 'лавка', 'парк'), (title, text, q) => {
      const d = doc('a', title, text);
      const idx = index(d, doc('b', 'лавка парк школа', 'інший текст'));
      for (const hit of idx.search(q)) {
        expect(idx.snippet(hit)).toEqual(snippet(hit.doc, hit.stems, (w) => idx.stemOf(w)));
      }
    }), { numRuns: 500 });
  });

  it('ranks as the plain reading does: title over text, then newest, then stored order', () => {
    // Words of four letters or fewer: no typo expansion, so the plain reading is simple.
    const words = ['парк', 'сад', 'двір', 'дах'];
    const item = fc.record({
      title: fc.array(fc.constantFrom(...words), { maxLength: 3 }),
      text: fc.array(fc.constantFrom(...words), { maxLength: 6 }),
      day: fc.integer({ min: 1, max: 4 }),
      type: fc.constantFrom('petition' as const, 'consultation' as const),
    });
    fc.assert(fc.property(fc.array(item, { minLength: 1, maxLength: 25 }), fc.constantFrom(...words), fc.constantFrom(undefined, 'petition' as const), fc.nat(6), (items, q, type, offset) => {
      const docs = items.map((it, i) => doc(`d${i}`, it.title.join(' '), it.text.join(' '), { type: it.type, at: new Date(Date.UTC(2026, 0, it.day)).toISOString() }));
      const expected = docs
        .map((d, i) => ({ d, i, score: d.title.split(' ').includes(q) ? 3 : d.text.split(' ').includes(q) ? 1 : 0 }))
        .filter((x) => x.score > 0 && (type === undefined || x.d.type === type))
        .sort((a, b) => b.score - a.score || (a.d.at < b.d.at ? 1 : a.d.at > b.d.at ? -1 : a.i - b.i))
        .map((x) => x.d.id);
      const idx = index(...docs);
      expect(idx.search(q, { type }).map((h) => h.doc.id)).toEqual(expected);
      const page = idx.page(q, { type, offset, limit: 3 });
      expect(page.total).toBe(expected.length);
      expect(page.hits.map((h) => h.doc.id)).toEqual(expected.slice(offset, offset + 3));
      // Twice in a row: a search leaves nothing behind for the next one.
      expect(idx.page(q, { type, offset, limit: 3 }).hits.map((h) => h.doc.id)).toEqual(expected.slice(offset, offset + 3));
    }), { numRuns: 300 });
  });

  it('a page is the slice of the whole ordered result, with its total', () => {
    fc.assert(fc.property(fc.array(text, { minLength: 1, maxLength: 30 }), fc.constantFrom(...vocabulary), fc.nat(12), fc.integer({ min: 1, max: 8 }), (bodies, q, offset, limit) => {
      const idx = index(...bodies.map((b, i) => doc(`d${i}`, i % 3 === 0 ? q : 'Заголовок', b, { at: new Date(Date.UTC(2026, 0, 1 + (i % 5))).toISOString() })));
      const all = idx.search(q);
      const page = idx.page(q, { offset, limit });
      expect(page.total).toBe(all.length);
      expect(page.hits.map((h) => h.doc.id)).toEqual(all.slice(offset, offset + limit).map((h) => h.doc.id));
    }), { numRuns: 200 });
  });
});
