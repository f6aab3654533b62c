/**
 * Closed-loop load: N clients, each sending its next request as soon as the last one answered,
 * until a time limit or a request budget runs out (whichever first: every loop is bounded).
 */
import { Agent, request as httpRequest } from 'node:http';

export interface LoadResult {
  clients: number;
  /** Requests that succeeded. */
  ok: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** CPU time this whole process (client, gateway, handlers) spent per successful request, ms. */
  cpuMsPerRequest: number;
  /** CPU time another process (DynamoDB Local) spent per successful request, ms, when given a meter. */
  externalCpuMsPerRequest?: number;
  /** First failure seen, for the report. */
  firstFailure?: string;
  /** Successful latencies, sorted (not written to the report). */
  latencies: number[];
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 50);

export async function closedLoop(options: {
  clients: number;
  durationMs: number;
  maxRequests: number;
  /** Sends request number i; resolves to undefined on success or a description of the failure. */
  send: (i: number) => Promise<string | undefined>;
  /** Cumulative CPU ms of another process that serves the requests (DynamoDB Local's JVM). */
  externalCpuMs?: () => number | undefined;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const cpu = process.cpuUsage();
  const externalBefore = options.externalCpuMs?.();
  const started = performance.now();
  const deadline = started + options.durationMs;
  let finished = started;
  await Promise.all(Array.from({ length: options.clients }, async () => {
    while (next < options.maxRequests && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      let failure: string | undefined;
      try {
        failure = await options.send(i);
      } catch (error) {
        failure = (error as Error).message;
      }
      const t1 = performance.now();
      finished = Math.max(finished, t1);
      if (failure === undefined) latencies.push(t1 - t0);
      else {
        failed++;
        firstFailure ??= failure;
      }
    }
  }));
  const seconds = (finished - started) / 1000;
  const used = process.cpuUsage(cpu);
  const externalAfter = options.externalCpuMs?.();
  latencies.sort((a, b) => a - b);
  return {
    clients: options.clients,
    ok: latencies.length,
    failed,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    meanMs: latencies.reduce((s, v) => s + v, 0) / Math.max(1, latencies.length),
    cpuMsPerRequest: (used.user + used.system) / 1000 / Math.max(1, latencies.length),
    ...(externalBefore !== undefined && externalAfter !== undefined
      ? { externalCpuMsPerRequest: (externalAfter - externalBefore) / Math.max(1, latencies.length) }
      : {}),
    ...(firstFailure ? { firstFailure } : {}),
    latencies,
  };
}

/** Several runs at the same concurrency as one: requests over total time, pooled latencies. */
export function mergeRuns(runs: readonly LoadResult[]): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const firstFailure = runs.find((r) => r.firstFailure)?.firstFailure;
  return {
    clients: runs[0]?.clients ?? 0,
    ok: latencies.length,
    failed: runs.reduce((s, r) => s + r.failed, 0),
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    meanMs: latencies.reduce((s, v) => s + v, 0) / Math.max(1, latencies.length),
    cpuMsPerRequest: runs.reduce((s, r) => s + r.cpuMsPerRequest * r.ok, 0) / Math.max(1, latencies.length),
    ...(runs.every((r) => r.externalCpuMsPerRequest !== undefined)
      ? { externalCpuMsPerRequest: runs.reduce((s, r) => s + r.externalCpuMsPerRequest! * r.ok, 0) / Math.max(1, latencies.length) }
      : {}),
    ...(firstFailure ? { firstFailure } : {}),
    latencies,
  };
}

/** A load result without its latency list, for the report. */
export const summary = ({ latencies: _latencies, ...rest }: LoadResult) => rest;

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A keep-alive HTTP/1.1 client on node:http (one socket per concurrent client, reused). */
export class KeepAliveClient {
  readonly agent: Agent;
  private readonly base: URL;

  constructor(baseUrl: string, maxSockets: number) {
    this.base = new URL(baseUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({
        agent: this.agent,
        host: this.base.hostname,
        port: this.base.port,
        method,
        path,
        headers: { ...headers, 'content-length': String(body === undefined ? 0 : Buffer.byteLength(body)) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  destroy(): void {
    this.agent.destroy();
  }
}

/**
 * `closedLoop` of GET requests, with the clients in a child process: the system under test then
 * has this process to itself, as a server has when its clients are elsewhere (in a single process
 * the clients' own HTTP work competes with the server's for its one event loop). CPU per request
 * is this process's (gateway, handlers), not the clients'.
 */
export async function closedLoopInChild(options: { url: string; clients: number; durationMs: number; maxRequests: number; paths: string[] }): Promise<LoadResult> {
  const { spawn } = await import('node:child_process');
  const cpu = process.cpuUsage();
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./load-child.ts', import.meta.url).pathname, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  const result = JSON.parse(out) as LoadResult;
  const used = process.cpuUsage(cpu);
  return { ...result, cpuMsPerRequest: (used.user + used.system) / 1000 / Math.max(1, result.ok) };
}
