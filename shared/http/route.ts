import type { z } from 'zod';
import type { Role } from '#shared/auth/roles.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a route's Lambda may do with the table: grants are derived from this (least privilege). */
export type TableAccess = 'none' | 'read' | 'readwrite';

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/v1/petitions/{id}`. */
  readonly path: string;
  /** Entry under `functions/http/`, without extension: `petitions/sign` -> functions/http/petitions/sign.ts. */
  readonly handler: string;
  /** `public`, or the roles of which the caller needs at least one. */
  readonly auth: 'public' | readonly Role[];
  readonly summary: string;
  readonly tags: readonly string[];
  readonly table: TableAccess;
  readonly request?: {
    readonly params?: z.ZodType;
    readonly query?: z.ZodType;
    readonly body?: z.ZodType;
    /** Default `application/json`; `text/plain` for uploads such as `.pb` files; a form for RFC 8058 one-click unsubscribe. */
    readonly bodyType?: 'application/json' | 'text/plain' | 'application/x-www-form-urlencoded';
    /** Bytes; default 64 KiB. */
    readonly maxBodyBytes?: number;
  };
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: z.ZodType; readonly contentType?: string }>>;
}

export type DeclaredResponse = RouteDefinition['responses'][number];

/**
 * A route's responses as the API answers them: its own, plus the conditional-GET answer the shared
 * handler gives for every GET (a 304 with no body when If-None-Match matches the ETag of a cached
 * answer). The OpenAPI document and the local response-contract check both read this, so neither
 * can forget the 304.
 */
export function declaredResponses(definition: RouteDefinition): Readonly<Record<number, DeclaredResponse>> {
  if (definition.method !== 'GET' || definition.responses[304]) return definition.responses;
  return { ...definition.responses, 304: { description: 'Unchanged since the ETag sent in If-None-Match (no body)' } };
}

/** Identity helper that keeps the literal types of a route for handler typing. */
export const route = <const R extends RouteDefinition>(definition: R): R => definition;
