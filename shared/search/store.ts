import { searchIndexLocation } from '#shared/config.ts';
import { emptyIndex, type StoredIndex } from '#shared/domain/search/index.ts';
import { storedSize as sizeOf, versionedJsonStore, type VersionedJsonStore } from '#shared/storage/versioned-json.ts';

/**
 * Where the search index of each community lives, one gzipped JSON object per community
 * (`search/<community>.json.gz`): S3 in AWS (`SEARCH_BUCKET`), a folder locally
 * (`SEARCH_INDEX_DIR`), else this process's memory (in-memory local runs and tests, where the
 * indexer and the search function share the process). Writes are conditional on the version
 * read (an S3 ETag), so two indexer batches never overwrite each other's changes.
 */
export interface IndexSnapshot {
  readonly index: StoredIndex;
  /** Opaque version of what was read; null when there is no index yet. */
  readonly version: string | null;
}

export interface SearchIndexStore {
  /** The index, or undefined when it is still `knownVersion` (nothing to reload). */
  read(community: string, knownVersion?: string | null): Promise<IndexSnapshot | undefined>;
  /** Writes if the stored version is still `expected`: the new version, or null when someone wrote meanwhile. */
  write(community: string, index: StoredIndex, expected: string | null): Promise<string | null>;
}

const adapters = new WeakMap<VersionedJsonStore<StoredIndex>, SearchIndexStore>();

/** The store the environment names (one per location, so callers may cache per store). */
export function searchIndexStore(): SearchIndexStore {
  const inner = versionedJsonStore<StoredIndex>({ prefix: 'search/', ...searchIndexLocation() }, emptyIndex);
  let store = adapters.get(inner);
  if (!store) {
    store = {
      read: async (community, knownVersion) => {
        const read = await inner.read(community, knownVersion);
        return read && { index: read.value, version: read.version };
      },
      write: (community, index, expected) => inner.write(community, index, expected),
    };
    adapters.set(inner, store);
  }
  return store;
}

/** Size in bytes of an index as stored (gzipped JSON): for the benchmark. */
export const storedSize = (index: StoredIndex) => sizeOf(index);
