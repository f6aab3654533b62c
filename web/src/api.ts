import type { z } from 'zod';
import type { routes, RouteName } from '#shared/http/routes.ts';
import { lang } from './i18n.ts';
import { token } from './auth.ts';
import { location$ } from './router.ts';
import type { Prefetch } from './boot.ts';

// Pages that load data use both: one chunk with the client (fewer files on a first visit).
export { useLoad, type Loaded } from './load.ts';
// The follow button and "tell me the result" box are on the petition page (in the entry) and on pages
// loaded on demand: re-exported here so they share the client's chunk instead of adding a file.
export { AskResult, FollowButton, rememberFollow } from './ui/notify.tsx';

/**
 * The API client, typed from the route table: path parameters, query and body are the zod
 * schemas' input types, the answer their output type. A changed schema breaks this build; no
 * type is copied by hand. Only types are imported: the bundle carries no zod, just each route's
 * method and path (injected at build time from the same table).
 */
type Routes = typeof routes;
type RequestOf<N extends RouteName> = Routes[N] extends { request: infer R } ? R : Record<string, never>;
type InputOf<N extends RouteName, K extends string> = RequestOf<N> extends { [P in K]: infer S extends z.ZodType } ? z.input<S> : undefined;
type SchemaOutput<R> = R extends { schema: infer S extends z.ZodType } ? z.output<S> : never;
type ResponsesOf<N extends RouteName> = Routes[N]['responses'];
/** The body of a 200 or 201 answer. */
export type Ok<N extends RouteName> =
  | (200 extends keyof ResponsesOf<N> ? SchemaOutput<ResponsesOf<N>[200]> : never)
  | (201 extends keyof ResponsesOf<N> ? SchemaOutput<ResponsesOf<N>[201]> : never);

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
}

export type Result<N extends RouteName> =
  | { ok: true; status: number; data: Ok<N> }
  | { ok: false; status: number; problem: Problem }
  | { ok: false; status: 0; offline: true };

type Args<N extends RouteName> = (InputOf<N, 'params'> extends undefined ? { params?: undefined } : { params: InputOf<N, 'params'> }) &
  (InputOf<N, 'query'> extends undefined ? { query?: undefined } : { query?: InputOf<N, 'query'> }) &
  // A body whose fields are all optional (signing's `{"notify"?: boolean}`) may be left out.
  (InputOf<N, 'body'> extends undefined ? { body?: undefined } : Record<never, never> extends InputOf<N, 'body'> ? { body?: InputOf<N, 'body'> } : { body: InputOf<N, 'body'> }) & {
    /** Times to resend after a network failure; only for requests the API makes safe to repeat. */
    retries?: number;
    /** Revalidate with the server instead of a cached copy (e.g. results right after one's own answer). */
    fresh?: boolean;
  };

/**
 * The route table's method, path and publicness by name, as JSON text (a string define is inlined
 * here; an object define becomes a module of its own, one more file on a first visit).
 */
declare const __ROUTES__: string;
const routeTable = JSON.parse(__ROUTES__) as Record<RouteName, readonly [method: string, path: string, isPublic: boolean]>;

export function pathOf(name: RouteName, params: Record<string, string> = {}): string {
  const [, template] = routeTable[name];
  return template.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(params[key] ?? ''));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Answers the boot script (boot.ts) asked for before the app arrived. Claimed once at start (a
 * boot script arriving later sees the slot taken and asks for nothing); each answer is used at
 * most once, by the same GET with the same language and token, while the address is still the
 * page the boot script saw. The router drops what is left on the first navigation.
 */
const bootScope = globalThis as { __hromadaPrefetch?: Prefetch | null };
let prefetch: Prefetch | null = bootScope.__hromadaPrefetch ?? null;
bootScope.__hromadaPrefetch = null;

export function dropPrefetched(): void {
  prefetch = null;
}

function takePrefetched(url: string, headers: Record<string, string>): Promise<Response> | undefined {
  if (!prefetch || prefetch.path !== location$.peek().path) return undefined;
  const prefetched = prefetch.answers[url];
  if (!prefetched) return undefined;
  delete prefetch.answers[url];
  if (prefetched.language !== headers['accept-language'] || prefetched.authorization !== (headers.authorization ?? null)) return undefined;
  return prefetched.answer;
}

/** A gateway's 502/503/504: worth the same request again. */
const isGatewayError = (status: number) => status >= 502 && status <= 504;

export async function call<N extends RouteName>(name: N, args: Args<N>): Promise<Result<N>> {
  const [method, , isPublic] = routeTable[name];
  let url = pathOf(name, args.params as Record<string, string> | undefined);
  if (args.query) {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(args.query as Record<string, unknown>)) if (v !== undefined) search.set(k, String(v));
    if ([...search].length) url += `?${search}`;
  }
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': lang.value };
  // Public reads go without the token: the same answer for everyone, which the service worker may keep.
  if (token.value && !isPublic) headers.authorization = `Bearer ${token.value}`;
  if (args.body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit = { method, headers, ...(args.body !== undefined ? { body: JSON.stringify(args.body) } : {}), ...(args.fresh ? { cache: 'no-cache' as const } : {}) };

  // The boot script's answer to this very request, if it has one and it arrived; else the network.
  const prefetched = method === 'GET' && args.body === undefined && !args.fresh ? takePrefetched(url, headers) : undefined;
  if (prefetched) {
    const res = await prefetched.catch(() => undefined);
    if (res && !isGatewayError(res.status)) {
      try {
        return await read<N>(res);
      } catch {
        // the answer broke off: asked again below
      }
    }
  }

  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch {
      if (attempt < (args.retries ?? 0) && navigator.onLine) {
        await sleep(400 * 2 ** attempt);
        continue;
      }
      return { ok: false, status: 0, offline: true };
    }
    if (isGatewayError(res.status) && attempt < (args.retries ?? 0)) {
      await sleep(400 * 2 ** attempt);
      continue;
    }
    return read<N>(res);
  }
}

async function read<N extends RouteName>(res: Response): Promise<Result<N>> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (res.ok) return { ok: true, status: res.status, data: json as Ok<N> };
  const body = (json ?? {}) as Partial<Problem>;
  const type = typeof body.type === 'string' ? body.type : '';
  return {
    ok: false,
    status: res.status,
    problem: {
      type,
      code: type.split('/').pop() ?? '',
      title: body.title ?? res.statusText,
      status: res.status,
      ...(body.detail ? { detail: body.detail } : {}),
    },
  };
}

export type Petition = Ok<'getPetition'>;
export type PetitionPage = Ok<'listPetitions'>;
export type Budget = Ok<'getBudget'>;
export type BudgetProject = Ok<'listBudgetProjects'>['items'][number];
export type Receipt = Ok<'castBudgetCodeBallot'>;
