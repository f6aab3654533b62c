import { isPublicDoc, SearchIndex, type StoredIndex } from '#shared/domain/search/index.ts';
import { searchIndexStore } from './store.ts';

/** How long a loaded index is used before asking the store whether it changed (a conditional read). */
const REFRESH_MS = 1000;

interface Entry {
  version: string | null;
  index: SearchIndex;
  checkedAt: number;
  refreshing?: Promise<void> | undefined;
}

/** Only what is public is served: the indexer indexes nothing else, and an old index's other documents are left out here. */
const build = (stored: StoredIndex) => new SearchIndex(stored, { include: isPublicDoc });

/** Per store (the environment names one), per community. */
const stores = new WeakMap<object, Map<string, Entry>>();

/**
 * A community's search index, loaded once per container and refreshed when it changed: at most
 * once a second a conditional read (an S3 GET with If-None-Match) asks whether there is a newer
 * version; only then is it downloaded and rebuilt. Concurrent requests share one refresh.
 * Undefined when the community has no index: it is not served here.
 */
export async function loadIndex(community: string): Promise<SearchIndex | undefined> {
  const store = searchIndexStore();
  let loaded = stores.get(store);
  if (!loaded) {
    loaded = new Map();
    stores.set(store, loaded);
  }
  let entry = loaded.get(community);
  if (!entry) {
    const snapshot = (await store.read(community))!;
    // No index at all: not a community this deployment serves (each one's index is made with its configuration).
    if (snapshot.version === null) return undefined;
    entry = { version: snapshot.version, index: build(snapshot.index), checkedAt: Date.now() };
    loaded.set(community, entry);
    return entry.index;
  }
  if (Date.now() - entry.checkedAt >= REFRESH_MS) {
    const current = entry;
    current.refreshing ??= (async () => {
      try {
        const snapshot = await store.read(community, current.version);
        if (snapshot) {
          current.index = build(snapshot.index);
          current.version = snapshot.version;
        }
        current.checkedAt = Date.now();
      } finally {
        current.refreshing = undefined;
      }
    })();
    await current.refreshing;
  }
  return entry.index;
}
