import type { HttpMethod, RouteDefinition } from './route.ts';
import { routes, type RouteName } from './routes.ts';

export type RouteMatch =
  | { kind: 'route'; name: RouteName; definition: RouteDefinition; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: HttpMethod[] }
  | { kind: 'none' };

interface CompiledRoute {
  name: RouteName;
  definition: RouteDefinition;
  pattern: RegExp;
  paramNames: string[];
  literalSegments: number;
}

const compiled: CompiledRoute[] = (Object.entries(routes) as [RouteName, RouteDefinition][]).map(([name, definition]) => {
  const paramNames: string[] = [];
  const source = definition.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return { name, definition, pattern: new RegExp(`^${source}$`), paramNames, literalSegments: definition.path.split('/').length - paramNames.length };
});
// API Gateway prefers literal path segments over parameters: /v1/moderation/petitions before /v1/{x}/petitions.
compiled.sort((a, b) => b.literalSegments - a.literalSegments);

/** Resolves a request to a route as API Gateway's resource tree would (404 and 405 included). */
export function matchRoute(method: string, path: string): RouteMatch {
  const normalised = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const allowed: HttpMethod[] = [];
  for (const candidate of compiled) {
    const found = candidate.pattern.exec(normalised);
    if (!found) continue;
    if (candidate.definition.method !== method.toUpperCase()) {
      allowed.push(candidate.definition.method);
      continue;
    }
    const params: Record<string, string> = {};
    try {
      candidate.paramNames.forEach((paramName, i) => {
        params[paramName] = decodeURIComponent(found[i + 1] ?? '');
      });
    } catch {
      return { kind: 'none' }; // a malformed %-escape names no resource
    }
    return { kind: 'route', name: candidate.name, definition: candidate.definition, params };
  }
  return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
}
