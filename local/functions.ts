import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { configSchema } from '../infra/config.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const loaded = new Map<string, Promise<unknown>>();

/**
 * Imports a Lambda entry file (relative to the repository root, `functions/http/petitions/sign.ts`,
 * the same path infra/bundle.ts bundles) the way Lambda does: once per "container", the module's
 * clients reused by every invocation after it.
 */
export function loadEntry<H>(entry: string): Promise<H> {
  let handler = loaded.get(entry);
  if (!handler) {
    handler = import(pathToFileURL(resolve(repoRoot, entry)).href).then((m: { handler: unknown }) => {
      if (typeof m.handler !== 'function') throw new Error(`${entry} exports no handler`);
      return m.handler;
    });
    loaded.set(entry, handler);
  }
  return handler as Promise<H>;
}

/** Imports `functions/<entry>.ts` (`http/petitions/sign`), see loadEntry. */
export function loadFunction<H>(entry: string): Promise<H> {
  return loadEntry<H>(`functions/${entry}.ts`);
}

/** Timeout and memory of a function, as its Lambda configuration states them. */
export interface FunctionLimits {
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

/**
 * The limits the CDK app gives the HTTP functions when the stage sets none (the defaults of
 * infra/config.ts): the local runtime runs with the same ones.
 */
export function defaultFunctionLimits(): FunctionLimits {
  // The fields' own defaults (a stage file without these fields gets exactly these).
  return { timeoutSeconds: configSchema.shape.lambdaTimeoutSeconds.parse(undefined), memoryMb: configSchema.shape.lambdaMemoryMb.parse(undefined) };
}

/** The Lambda context of one invocation, with the function's timeout and memory. */
export function lambdaContext(functionName: string, requestId: string, limits: FunctionLimits = defaultFunctionLimits()): Context {
  const deadline = Date.now() + limits.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: String(limits.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
