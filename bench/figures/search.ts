/**
 * Figure 7: search. The whole local system (gateway, the real search handler, the search-indexer
 * stream consumer, DynamoDB Local), 10,000 items (petitions and budget projects) written to the
 * table and indexed from its stream; then 32 clients searching in a closed loop; the size of the
 * stored index; and the time from a write to being findable.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#shared/data/client.ts';
import { putCommunity } from '#shared/data/communities.ts';
import { keys } from '#shared/data/keys.ts';
import { ternopil } from '#shared/domain/community.ts';
import { searchIndexStore, storedSize } from '#shared/search/store.ts';
import { defaultConsumers, startLocalSystem } from '../../local/runtime.ts';
import { closedLoopInChild, KeepAliveClient, median, summary } from '../lib/load.ts';

export interface SearchFigure {
  items: number;
  clients: number;
  load: ReturnType<typeof summary>;
  indexBytes: number;
  indexSeconds: number;
  writeToFindableMs: { samples: number[]; median: number; max: number };
}

const STEMS = [
  'лавк', 'парк', 'вулиц', 'школ', 'дорог', 'зупинк', 'сквер', 'ліхтар', 'тротуар', 'майданчик', 'бібліотек', 'басейн', 'стадіон',
  'велодоріжк', 'набережн', 'фонтан', 'дерев', 'клумб', 'автобус', 'тролейбус', 'пішохідн', 'світлофор', 'каналізаці', 'водогін',
  'смітник', 'контейнер', 'лікарн', 'поліклінік', 'садочк', 'гімназі', 'ліце', 'музе', 'театр', 'площ', 'ринк', 'мост', 'озер', 'став',
];
const ENDINGS = ['а', 'и', 'і', 'у', 'ою', 'ами', 'ах', 'ів', ''];
const FILLER = ['просимо', 'встановити', 'відремонтувати', 'облаштувати', 'нових', 'біля', 'уздовж', 'мешканців', 'району', 'міста', 'для', 'дітей', 'літніх', 'людей'];

function words(random: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(random() < 0.5
      ? STEMS[Math.floor(random() * STEMS.length)]! + ENDINGS[Math.floor(random() * ENDINGS.length)]!
      : FILLER[Math.floor(random() * FILLER.length)]!);
  }
  return out.join(' ');
}

/** Deterministic pseudo-random numbers (mulberry32), so every run indexes the same texts. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function measureSearch(options: { items: number; clients: number; runMs: number; findableSamples: number; log: (line: string) => void }): Promise<SearchFigure> {
  const system = await startLocalSystem({
    port: 0, inMemory: true, dataDir: '', tableName: `bench-search-${randomUUID().slice(0, 8)}`,
    consumers: defaultConsumers().filter((c) => c.name === 'searchIndexer'),
  });
  const db = createDocumentClient();
  const client = new KeepAliveClient(system.url, options.clients);
  try {
    const community = 'bench-search';
    await putCommunity(db, { ...ternopil, id: community });
    const random = seeded(16);
    const now = Date.now();
    const t0 = performance.now();
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < options.items; i++) {
      const id = randomUUID();
      const at = new Date(now - i * 60_000).toISOString();
      items.push(i % 2 === 0
        ? {
            ...keys.petition(id), type: 'petition', id, community, authorSub: 'bench', title: words(random, 6), text: words(random, 60),
            status: 'open', createdAt: at, submittedAt: at, publishedAt: at, closesAt: new Date(now + 30 * 86_400_000).toISOString(),
            signatureCount: 0, thresholds: [], rejection: null, response: null, tags: [],
          }
        : {
            pk: `BUDGET#bench`, sk: `PROJECT#${id}`, type: 'budget-project', budgetId: 'bench', id, community,
            title: words(random, 6), description: words(random, 80), submittedAt: at, review: null,
          });
    }
    for (let i = 0; i < items.length; i += 25) {
      let request: Record<string, unknown>[] | undefined = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      while (request && request.length > 0) {
        const result = await db.send(new BatchWriteCommand({ RequestItems: { [system.tableName]: request as never } }));
        request = result.UnprocessedItems?.[system.tableName] as Record<string, unknown>[] | undefined;
      }
    }
    await system.waitForStreams(600_000);
    const indexSeconds = (performance.now() - t0) / 1000;
    const snapshot = (await searchIndexStore().read(community))!;
    const indexed = Object.keys(snapshot.index.docs).length;
    if (indexed !== options.items) throw new Error(`indexed ${indexed} of ${options.items} items`);
    const indexBytes = storedSize(snapshot.index);
    options.log(`search: ${indexed} items indexed in ${indexSeconds.toFixed(1)} s, index ${(indexBytes / 1024).toFixed(0)} KB gzipped`);

    // Queries: inflected forms, two-word queries, typos (a letter dropped) in long words.
    const queries = Array.from({ length: 200 }, (_, i) => {
      const stem = STEMS[i % STEMS.length]!;
      const form = stem + ENDINGS[i % ENDINGS.length]!;
      if (i % 3 === 0) return `${form} ${STEMS[(i * 7) % STEMS.length]}и`;
      if (i % 3 === 1 && form.length >= 6) return form.slice(0, 2) + form.slice(3);
      return form;
    });
    await client.send('GET', `/v1/search?community=${community}&q=${encodeURIComponent('лавка')}`); // Load the index.
    // The clients run in a child process: the gateway and the search function have this one to themselves.
    const load = await closedLoopInChild({
      url: system.url,
      clients: options.clients,
      durationMs: options.runMs,
      maxRequests: 1_000_000,
      paths: queries.map((q) => `/v1/search?community=${community}&q=${encodeURIComponent(q)}&limit=20`),
    });
    options.log(`search: ${options.clients} clients, ${load.perSecond.toFixed(0)}/s, p50 ${load.p50Ms.toFixed(1)} ms, p99 ${load.p99Ms.toFixed(1)} ms`);

    // Write -> findable: a new petition with a word nobody else uses, polled every 50 ms.
    const samples: number[] = [];
    for (let s = 0; s < options.findableSamples; s++) {
      const id = randomUUID();
      const word = `унікальнеслово${String.fromCharCode(1072 + s)}${String.fromCharCode(1072 + ((s * 7) % 26))}`;
      const at = new Date().toISOString();
      const started = performance.now();
      await db.send(new PutCommand({
        TableName: system.tableName,
        Item: {
          ...keys.petition(id), type: 'petition', id, community, authorSub: 'bench', title: `Петиція ${word}`, text: words(random, 30),
          status: 'open', createdAt: at, submittedAt: at, publishedAt: at, closesAt: new Date(now + 86_400_000).toISOString(),
          signatureCount: 0, thresholds: [], rejection: null, response: null, tags: [],
        },
      }));
      for (;;) {
        const answer = await client.send('GET', `/v1/search?community=${community}&q=${encodeURIComponent(word)}`);
        if (answer.status === 200 && answer.body.includes(id)) break;
        if (performance.now() - started > 60_000) throw new Error('not findable within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      samples.push(Math.round(performance.now() - started));
    }
    options.log(`search: write -> findable ${samples.join(', ')} ms`);
    return {
      items: indexed,
      clients: options.clients,
      load: summary(load),
      indexBytes,
      indexSeconds,
      writeToFindableMs: { samples, median: median(samples), max: Math.max(...samples) },
    };
  } finally {
    client.destroy();
    db.destroy();
    await system.stop();
  }
}
