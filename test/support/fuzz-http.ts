/**
 * Helpers for the security and reliability tests: a raw HTTP client (node:http, so paths, headers
 * and bodies go out byte for byte, without fetch's normalisation), the problem+json contract
 * check, table snapshots, path filling from the route table, and a bounded worker pool.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { RouteDefinition } from '#shared/http/route.ts';
import { routes, type RouteName } from '#shared/http/routes.ts';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed body when the response says it is JSON and it parses; otherwise undefined. */
  json: unknown;
  /** Wall-clock milliseconds from sending to the end of the response. */
  ms: number;
}

export interface RawRequest {
  method: string;
  /** Sent as is: it may hold malformed escapes, `..`, anything but raw spaces and control characters. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

export interface RawClient {
  send(request: RawRequest): Promise<RawResponse>;
  close(): void;
}

/** A keep-alive client for one base URL (loopback only in these tests). */
export function rawClient(baseUrl: string, options: { maxSockets?: number } = {}): RawClient {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 });
  const send = (request: RawRequest) =>
    new Promise<RawResponse>((resolve, reject) => {
      const started = performance.now();
      const headers: Record<string, string> = { ...request.headers };
      if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
      const req = httpRequest(
        { host: url.hostname, port: url.port, method: request.method, path: request.path, headers, agent, timeout: request.timeoutMs ?? 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            if (/json/i.test(String(res.headers['content-type'] ?? '')) && text) {
              try {
                json = JSON.parse(text);
              } catch {
                json = undefined;
              }
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: performance.now() - started });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${request.timeoutMs ?? 30_000} ms: ${request.method} ${request.path}`)));
      req.on('error', reject);
      if (request.body !== undefined) req.end(request.body);
      else req.end();
    });
  return { send, close: () => agent.destroy() };
}

/**
 * The error contract of the API: no 5xx, and every 4xx is `application/problem+json` whose body
 * is an object with `type`, `title` and a `status` equal to the HTTP status. Returns what is
 * wrong, or undefined.
 */
export function contractViolation(response: RawResponse, options: { allow503?: boolean } = {}): string | undefined {
  const { status } = response;
  const summary = () => `${status} ${response.headers['content-type'] ?? '(no content-type)'} ${response.text.slice(0, 400)}`;
  if (status >= 500 && !(options.allow503 && status === 503)) return `server error: ${summary()}`;
  if (status < 400) return undefined;
  const contentType = String(response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/problem+json') return `a ${status} that is not application/problem+json: ${summary()}`;
  const body = response.json as { status?: unknown; type?: unknown; title?: unknown } | undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return `a ${status} whose body is not a JSON object: ${summary()}`;
  if (body.status !== status) return `a ${status} whose body says status ${String(body.status)}: ${summary()}`;
  if (typeof body.type !== 'string' || typeof body.title !== 'string') return `a ${status} without type or title: ${summary()}`;
  return undefined;
}

/** Every item of the table, in key order, as one string: equal strings mean an unchanged table. */
export async function snapshotTable(db: DynamoDBDocumentClient, tableName: string): Promise<string> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < 1000; page++) {
    const result = await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
    if (!start) break;
  }
  const key = (item: Record<string, unknown>) => `${String(item.pk)}\u0000${String(item.sk)}`;
  items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return JSON.stringify(items, (_k, value: unknown) => (value instanceof Set ? [...value].sort() : value));
}

/** The first lines that differ between two snapshots, for a readable failure. */
export function snapshotDifference(before: string, after: string): string {
  const a = (JSON.parse(before) as unknown[]).map((item) => JSON.stringify(item));
  const b = (JSON.parse(after) as unknown[]).map((item) => JSON.stringify(item));
  const removed = a.filter((item) => !b.includes(item));
  const added = b.filter((item) => !a.includes(item));
  return [...removed.slice(0, 3).map((item) => `- ${item.slice(0, 300)}`), ...added.slice(0, 3).map((item) => `+ ${item.slice(0, 300)}`)].join('\n');
}

export const routeEntries = Object.entries(routes) as [RouteName, RouteDefinition][];

export const protectedRoutes = routeEntries.filter(([, definition]) => definition.auth !== 'public');
export const publicRoutes = routeEntries.filter(([, definition]) => definition.auth === 'public');

/** `{name}` segments of an API Gateway path. */
export const pathParamNames = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

/** Fills `{name}` segments with the given values, percent-encoding them unless `raw`. */
export function fillPath(path: string, values: Record<string, string>, options: { raw?: boolean } = {}): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = values[name] ?? randomUUID();
    return options.raw ? value : encodeURIComponent(value);
  });
}

/**
 * A syntactically valid value for every path parameter of a route, from its params schema:
 * a random UUID where the schema asks for one, otherwise a value the schema accepts.
 */
export function validPathValues(definition: RouteDefinition): Record<string, string> {
  const values: Record<string, string> = {};
  const schema = definition.request?.params;
  for (const name of pathParamNames(definition.path)) {
    const candidates = [randomUUID(), 'a1', 'ternopil', 'A', '1', '2026'];
    values[name] = candidates.find((candidate) => {
      if (!schema) return true;
      const result = (schema as z.ZodType).safeParse({ ...values, [name]: candidate });
      return result.success || !result.error.issues.some((issue) => issue.path[0] === name);
    }) ?? randomUUID();
  }
  return values;
}

/** Runs jobs with at most `concurrency` at a time; results in job order. */
export async function inPool<T>(jobs: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await (jobs[i] as () => Promise<T>)();
      }
    }),
  );
  return results;
}

/** Percentile (0-100) of a list of numbers, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
