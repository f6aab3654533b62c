import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const functionsRoot = resolve(import.meta.dirname, '..', 'functions');
const loaded = new Map<string, Promise<unknown>>();

/**
 * Imports a Lambda entry (`functions/<entry>.ts`) the way Lambda does: once per "container", the
 * module's clients reused by every invocation after it.
 */
export function loadFunction<H>(entry: string): Promise<H> {
  let handler = loaded.get(entry);
  if (!handler) {
    handler = import(pathToFileURL(resolve(functionsRoot, `${entry}.ts`)).href).then((m: { handler: unknown }) => {
      if (typeof m.handler !== 'function') throw new Error(`functions/${entry}.ts exports no handler`);
      return m.handler;
    });
    loaded.set(entry, handler);
  }
  return handler as Promise<H>;
}
