import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';

/**
 * Derived data kept as one gzipped JSON object per key (a community's search index, its open-data
 * snapshot): S3 in AWS, a folder locally, else this process's memory (in-memory runs and tests,
 * where the writer and the readers share the process). Writes are conditional on the version
 * read (an S3 ETag; locally a content hash), so two writers never overwrite each other's changes.
 */
export interface Versioned<T> {
  readonly value: T;
  /** Opaque version of what was read; null when nothing is stored yet (then `value` is the empty value). */
  readonly version: string | null;
}

export interface VersionedJsonStore<T> {
  /** The value, or undefined when it is still `knownVersion` (nothing to reload). */
  read(key: string, knownVersion?: string | null): Promise<Versioned<T> | undefined>;
  /** Writes if the stored version is still `expected`: the new version, or null when someone wrote meanwhile. */
  write(key: string, value: T, expected: string | null): Promise<string | null>;
}

export interface StoreLocation {
  /** S3: `prefix` + key + `.json.gz` is the object key. A folder (`dir`) holds one kind only: `<key>.json.gz`. */
  readonly prefix: string;
  readonly bucket?: string | undefined;
  readonly dir?: string | undefined;
  /** Memory: separates tables (tests run several systems in one process). */
  readonly namespace: string;
}

const encode = (value: unknown) => gzipSync(JSON.stringify(value));
const decode = <T>(body: Uint8Array) => JSON.parse(gunzipSync(body).toString('utf8')) as T;
const hash = (body: Uint8Array) => createHash('sha256').update(body).digest('base64url');

/** Size in bytes of a value as stored (gzipped JSON): for the benchmark. */
export const storedSize = (value: unknown) => encode(value).length;

class S3Store<T> implements VersionedJsonStore<T> {
  private readonly client = new S3Client({});
  constructor(private readonly bucket: string, private readonly prefix: string, private readonly empty: (key: string) => T) {}

  private objectKey(key: string) {
    return `${this.prefix}${key}.json.gz`;
  }

  async read(key: string, knownVersion?: string | null): Promise<Versioned<T> | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({
        Bucket: this.bucket, Key: this.objectKey(key), ...(knownVersion ? { IfNoneMatch: knownVersion } : {}),
      }));
      const body = await result.Body!.transformToByteArray();
      return { value: decode<T>(body), version: result.ETag ?? null };
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 304) return undefined;
      if (error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)) {
        return knownVersion === null ? undefined : { value: this.empty(key), version: null };
      }
      throw error;
    }
  }

  async write(key: string, value: T, expected: string | null): Promise<string | null> {
    try {
      const result = await this.client.send(new PutObjectCommand({
        Bucket: this.bucket, Key: this.objectKey(key), Body: encode(value),
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
class FileStore<T> implements VersionedJsonStore<T> {
  constructor(private readonly dir: string, private readonly empty: (key: string) => T) {
    mkdirSync(dir, { recursive: true });
  }

  private file(key: string) {
    return join(this.dir, `${key}.json.gz`);
  }

  private load(key: string): Buffer | undefined {
    try {
      return readFileSync(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async read(key: string, knownVersion?: string | null): Promise<Versioned<T> | undefined> {
    const body = this.load(key);
    const version = body ? hash(body) : null;
    if (knownVersion !== undefined && knownVersion === version) return undefined;
    return { value: body ? decode<T>(body) : this.empty(key), version };
  }

  async write(key: string, value: T, expected: string | null): Promise<string | null> {
    // Read, compare and rename with no await in between: atomic within the one local process.
    const body = this.load(key);
    if ((body ? hash(body) : null) !== expected) return null;
    const tmp = `${this.file(key)}.${process.pid}.tmp`;
    const next = encode(value);
    writeFileSync(tmp, next);
    renameSync(tmp, this.file(key));
    return hash(next);
  }
}

const memory = new Map<string, Buffer>();

class MemoryStore<T> implements VersionedJsonStore<T> {
  constructor(private readonly namespace: string, private readonly empty: (key: string) => T) {}
  private slot(key: string) {
    return `${this.namespace}/${key}`;
  }
  async read(key: string, knownVersion?: string | null): Promise<Versioned<T> | undefined> {
    const body = memory.get(this.slot(key));
    const version = body ? hash(body) : null;
    if (knownVersion !== undefined && knownVersion === version) return undefined;
    return { value: body ? decode<T>(body) : this.empty(key), version };
  }
  async write(key: string, value: T, expected: string | null): Promise<string | null> {
    const body = memory.get(this.slot(key));
    if ((body ? hash(body) : null) !== expected) return null;
    const next = encode(value);
    memory.set(this.slot(key), next);
    return hash(next);
  }
}

const cached = new Map<string, VersionedJsonStore<unknown>>();

/** The store at `location` (one instance per location and process, so callers can cache per store). */
export function versionedJsonStore<T>(location: StoreLocation, empty: (key: string) => T): VersionedJsonStore<T> {
  const id = location.bucket ? `s3:${location.bucket}/${location.prefix}` : location.dir ? `dir:${location.dir}/${location.prefix}` : `memory:${location.namespace}/${location.prefix}`;
  let store = cached.get(id) as VersionedJsonStore<T> | undefined;
  if (!store) {
    store = location.bucket
      ? new S3Store(location.bucket, location.prefix, empty)
      : location.dir
        ? new FileStore(location.dir, empty)
        : new MemoryStore(`${location.namespace}/${location.prefix}`, empty);
    cached.set(id, store as VersionedJsonStore<unknown>);
  }
  return store;
}
