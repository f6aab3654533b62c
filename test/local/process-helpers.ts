import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';

/** True while `pid` is a live process (a zombie waiting to be reaped counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const state = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
  return state !== '' && !state.startsWith('Z');
}

export async function waitUntilGone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await delay(50);
  }
  return true;
}

/** Pids of running DynamoDB Local processes whose command line contains `marker`. */
export function dynamoDbLocalPidsWith(marker: string): number[] {
  const { stdout } = spawnSync('pgrep', ['-f', 'DynamoDBLocal'], { encoding: 'utf8' });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      const command = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).stdout;
      return command.includes(marker) && isRunning(pid);
    });
}

/** Runs a TypeScript file in a child Node process (through tsx) and collects its output lines. */
export function runTypeScriptChild(file: string, args: string[], cwd: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const firstJsonLine = async <T>(timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = lines.find((candidate) => candidate.startsWith('{'));
      if (line) return JSON.parse(line) as T;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`child printed no JSON; stderr: ${stderr}`);
      await delay(50);
    }
  };
  return { child, lines, exited, firstJsonLine, stderr: () => stderr };
}
