import { DynamoDBClient, ListTablesCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_DYNAMODB_LOCAL_CACHE_DIR,
  LocalSetupError,
  ensureDynamoDbLocalJar,
  findJava,
  parseJavaMajorVersion,
  startDynamoDbLocal,
  type DynamoDbLocal,
} from '../../local/dynamodb-local.ts';
import { dynamoDbLocalPidsWith, isRunning, runTypeScriptChild, waitUntilGone } from './process-helpers.ts';

const JAR_SHA256 = '454305e9bc3e6ebcca5b62569869e31563b8d7e346474e94557b2600702146c7';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/hold-dynamodb-local.ts', import.meta.url));

const started: DynamoDbLocal[] = [];
async function start(options: Parameters<typeof startDynamoDbLocal>[0]): Promise<DynamoDbLocal> {
  const instance = await startDynamoDbLocal(options);
  started.push(instance);
  return instance;
}

function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

beforeAll(async () => {
  await ensureDynamoDbLocalJar(DEFAULT_DYNAMODB_LOCAL_CACHE_DIR);
});

afterAll(async () => {
  await Promise.all(started.map((instance) => instance.stop()));
  for (const instance of started) expect(isRunning(instance.pid)).toBe(false);
});

describe('Java', () => {
  it('reads the major version of old and new version strings', () => {
    expect(parseJavaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajorVersion('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajorVersion('no version here')).toBeUndefined();
  });

  it('finds Java 17 or newer on this machine', async () => {
    const java = await findJava();
    expect(java.major).toBeGreaterThanOrEqual(17);
  });

  it('explains how to install Java when there is none', async () => {
    const saved = { PATH: process.env['PATH'], JAVA_HOME: process.env['JAVA_HOME'] };
    process.env['PATH'] = '/nonexistent';
    process.env['JAVA_HOME'] = '/nonexistent/jdk';
    try {
      const error = await findJava().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(LocalSetupError);
      expect((error as Error).message).toContain('/nonexistent/jdk/bin/java: not found');
      expect((error as Error).message).toContain('apt-get install -y openjdk-17-jre-headless');
      expect((error as Error).message).toContain('brew install openjdk@17');
      expect((error as Error).message).toContain('JAVA_HOME');
    } finally {
      process.env['PATH'] = saved.PATH;
      if (saved.JAVA_HOME === undefined) delete process.env['JAVA_HOME'];
      else process.env['JAVA_HOME'] = saved.JAVA_HOME;
    }
  });
});

describe('the DynamoDB Local jar cache', () => {
  it('answers from the cache without downloading or hashing when the marker is there', async () => {
    const folder = await ensureDynamoDbLocalJar(DEFAULT_DYNAMODB_LOCAL_CACHE_DIR);
    expect(await sha256(join(folder, 'DynamoDBLocal.jar'))).toBe(JAR_SHA256);
    expect(await readdir(join(folder, 'DynamoDBLocal_lib'))).toContain('libsqlite4java-linux-amd64.so');
    // Proof that the marker is trusted as is (no hash, no download): a folder whose marker is
    // right but whose jar is not the pinned one is still answered, unchanged, and nothing is logged.
    const cacheDir = await mkdtemp(join(tmpdir(), 'ddb-marker-'));
    const marked = join(cacheDir, 'amplify-dynamodb-simulator-2.9.30');
    await mkdir(marked);
    await writeFile(join(marked, 'DynamoDBLocal.jar'), 'not the jar');
    await writeFile(join(marked, '.verified-sha256'), `${JAR_SHA256}\n`);
    const logged: string[] = [];
    expect(await ensureDynamoDbLocalJar(cacheDir, (line) => logged.push(line))).toBe(marked);
    expect(logged).toEqual([]);
    expect(await readFile(join(marked, 'DynamoDBLocal.jar'), 'utf8')).toBe('not the jar');
  });

  it('trusts a folder without the marker only after checking the jar hash', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'ddb-cache-'));
    const cached = await ensureDynamoDbLocalJar(DEFAULT_DYNAMODB_LOCAL_CACHE_DIR);
    const folder = join(cacheDir, 'amplify-dynamodb-simulator-2.9.30');
    await mkdir(folder);
    await copyFile(join(cached, 'DynamoDBLocal.jar'), join(folder, 'DynamoDBLocal.jar'));
    expect(await ensureDynamoDbLocalJar(cacheDir)).toBe(folder);
    expect((await readFile(join(folder, '.verified-sha256'), 'utf8')).trim()).toBe(JAR_SHA256);
  });

  it('replaces a tampered jar, and two concurrent fetches into an empty cache both succeed', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'ddb-cache-'));
    const folder = join(cacheDir, 'amplify-dynamodb-simulator-2.9.30');
    await mkdir(folder);
    await writeFile(join(folder, 'DynamoDBLocal.jar'), 'not the real jar');

    const log: string[] = [];
    const [first, second] = await Promise.all([
      ensureDynamoDbLocalJar(cacheDir, (line) => log.push(line)),
      ensureDynamoDbLocalJar(cacheDir),
    ]);
    expect(first).toBe(folder);
    expect(second).toBe(folder);
    expect(await sha256(join(folder, 'DynamoDBLocal.jar'))).toBe(JAR_SHA256);
    expect(log.some((line) => line.includes('Fetching DynamoDB Local'))).toBe(true);
    // Only the emulator folder is left: no tarball, no temporary folders.
    expect(await readdir(cacheDir)).toEqual(['amplify-dynamodb-simulator-2.9.30']);
  }, 180_000);
});

describe('startDynamoDbLocal', () => {
  it('starts in memory on a free port, answers, and stop() ends java', async () => {
    const begin = performance.now();
    const dynamo = await startDynamoDbLocal({ inMemory: true });
    console.log(`DynamoDB Local answered ${Math.round(performance.now() - begin)} ms after start`);
    expect(dynamo.endpoint).toBe(`http://127.0.0.1:${dynamo.port}`);
    const client = clientFor(dynamo.endpoint);
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    client.destroy();

    await dynamo.stop();
    expect(isRunning(dynamo.pid)).toBe(false);
    await dynamo.stop(); // stopping twice is harmless
  });

  it('refuses a port that is in use, saying which and how to choose another', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startDynamoDbLocal({ port, inMemory: true })).rejects.toThrow(
        new RegExp(`Port ${port} is already in use.*choose another port`, 's'),
      );
    } finally {
      blocker.close();
    }
  });

  it('rejects dataDir together with inMemory', async () => {
    await expect(startDynamoDbLocal({ dataDir: tmpdir(), inMemory: true })).rejects.toThrow(LocalSetupError);
  });

  it('rejects a data folder it cannot write', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'ddb-')), 'a-file');
    await writeFile(file, '');
    await expect(startDynamoDbLocal({ dataDir: join(file, 'data') })).rejects.toThrow(/cannot write its data folder/);
  });

  it('reports a corrupt data folder with the tail of java output, and leaves no java behind', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ddb-corrupt-'));
    await writeFile(join(dataDir, 'shared-local-instance.db'), Buffer.alloc(20_000, 7));
    const error = await startDynamoDbLocal({ dataDir }).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error).toBeInstanceOf(LocalSetupError);
    expect(error?.message).toContain(`cannot use its data folder ${dataDir}`);
    expect(error?.message).toMatch(/SQLiteException|not a database/);
    expect(dynamoDbLocalPidsWith(dataDir)).toEqual([]);
  });

  it('comes back after crash() on the same port with the same data folder, tables intact', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ddb-data-'));
    const first = await start({ dataDir });
    let client = clientFor(first.endpoint);
    await client.send(
      new CreateTableCommand({
        TableName: 'survivor',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    client.destroy();
    await first.crash();
    expect(isRunning(first.pid)).toBe(false);

    const second = await start({ dataDir, port: first.port });
    expect(second.endpoint).toBe(first.endpoint);
    client = clientFor(second.endpoint);
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['survivor']);
    client.destroy();
    await second.stop();
  });
});

describe('java never outlives the process that started it', () => {
  it('dies on SIGTERM, and the parent still terminates as Node does by default', async () => {
    const run = runTypeScriptChild(fixture, ['wait'], repoRoot);
    const { pid } = await run.firstJsonLine<{ pid: number }>();
    expect(isRunning(pid)).toBe(true);
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(await waitUntilGone(pid)).toBe(true);
  });

  it('dies on SIGINT without taking over a handler the parent installed itself', async () => {
    const run = runTypeScriptChild(fixture, ['own-sigint'], repoRoot);
    const { pid } = await run.firstJsonLine<{ pid: number }>();
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 7, signal: null });
    expect(run.lines).toContain('own SIGINT handler ran');
    expect(await waitUntilGone(pid)).toBe(true);
  });

  it('dies when the parent calls process.exit()', async () => {
    const run = runTypeScriptChild(fixture, ['exit'], repoRoot);
    const { pid } = await run.firstJsonLine<{ pid: number }>();
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(await waitUntilGone(pid)).toBe(true);
  });

  it('is killed by the next start when its parent was SIGKILLed (no handler can run then)', async () => {
    const run = runTypeScriptChild(fixture, ['wait'], repoRoot);
    const { pid } = await run.firstJsonLine<{ pid: number }>();
    run.child.kill('SIGKILL');
    await run.exited;
    expect(isRunning(pid)).toBe(true); // orphaned

    const log: string[] = [];
    await start({ inMemory: true, log: (line) => log.push(line) });
    expect(await waitUntilGone(pid)).toBe(true);
    expect(log.some((line) => line.includes(`Killing DynamoDB Local pid ${pid}`))).toBe(true);
  });
});
