import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { emptyIndex, type StoredIndex } from '../domain/search/index.ts';

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

const objectKey = (community: string) => `search/${community}.json.gz`;
const encode = (index: StoredIndex) => gzipSync(JSON.stringify(index));
const decode = (body: Uint8Array) => JSON.parse(gunzipSync(body).toString('utf8')) as StoredIndex;
const hash = (body: Uint8Array) => createHash('sha256').update(body).digest('base64url');

class S3Store implements SearchIndexStore {
  private readonly client = new S3Client({});
  constructor(private readonly bucket: string) {}

  async read(community: string, knownVersion?: string | null): Promise<IndexSnapshot | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({
        Bucket: this.bucket, Key: objectKey(community), ...(knownVersion ? { IfNoneMatch: knownVersion } : {}),
      }));
      const body = await result.Body!.transformToByteArray();
      return { index: decode(body), version: result.ETag ?? null };
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 304) return undefined;
      if (error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)) {
        return knownVersion === null ? undefined : { index: emptyIndex(community), version: null };
      }
      throw error;
    }
  }

  async write(community: string, index: StoredIndex, expected: string | null): Promise<string | null> {
    try {
      const result = await this.client.send(new PutObjectCommand({
        Bucket: this.bucket, Key: objectKey(community), Body: encode(index),
        ContentType: 'application/json', ContentEncoding: 'gzip',
        // S3 conditional writes: only over the version read, or only if there is none yet.
        ...(expected ? { IfMatch: expected } : { IfNoneMatch: '*' }),
      }));
      return result.ETag ?? '';
    } catch (error) {
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      if (status === 412 || status === 409) return null;
      throw error;
    }
  }
}

/** Local folder: versions are content hashes; writes are atomic (temporary file, then rename). */
class FileStore implements SearchIndexStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private file(community: string) {
    return join(this.dir, `${community}.json.gz`);
  }

  private load(community: string): Buffer | undefined {
    try {
      return readFileSync(this.file(community));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async read(community: string, knownVersion?: string | null): Promise<IndexSnapshot | undefined> {
    const body = this.load(community);
    const version = body ? hash(body) : null;
    if (knownVersion !== undefined && knownVersion === version) return undefined;
    return { index: body ? decode(body) : emptyIndex(community), version };
  }

  async write(community: string, index: StoredIndex, expected: string | null): Promise<string | null> {
    // Read, compare and rename with no await in between: atomic within the one local process.
    const body = this.load(community);
    if ((body ? hash(body) : null) !== expected) return null;
    const tmp = `${this.file(community)}.${process.pid}.tmp`;
    const next = encode(index);
    writeFileSync(tmp, next);
    renameSync(tmp, this.file(community));
    return hash(next);
  }
}

const memory = new Map<string, Buffer>();

class MemoryStore implements SearchIndexStore {
  constructor(private readonly namespace: string) {}
  private key(community: string) {
    return `${this.namespace}/${community}`;
  }
  async read(community: string, knownVersion?: string | null): Promise<IndexSnapshot | undefined> {
    const body = memory.get(this.key(community));
    const version = body ? hash(body) : null;
    if (knownVersion !== undefined && knownVersion === version) return undefined;
    return { index: body ? decode(body) : emptyIndex(community), version };
  }
  async write(community: string, index: StoredIndex, expected: string | null): Promise<string | null> {
    const body = memory.get(this.key(community));
    if ((body ? hash(body) : null) !== expected) return null;
    const next = encode(index);
    memory.set(this.key(community), next);
    return hash(next);
  }
}

let cached: { config: string; store: SearchIndexStore } | undefined;

/** The store the environment names (cached per container). */
export function searchIndexStore(): SearchIndexStore {
  const bucket = process.env.SEARCH_BUCKET;
  const dir = process.env.SEARCH_INDEX_DIR;
  const table = process.env.TABLE_NAME ?? 'default';
  const config = bucket ? `s3:${bucket}` : dir ? `dir:${dir}` : `memory:${table}`;
  if (cached?.config !== config) {
    cached = { config, store: bucket ? new S3Store(bucket) : dir ? new FileStore(dir) : new MemoryStore(table) };
  }
  return cached.store;
}

/** Size in bytes of an index as stored (gzipped JSON): for the benchmark. */
export const storedSize = (index: StoredIndex) => encode(index).length;
