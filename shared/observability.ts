import { createRequire } from 'node:module';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { observabilitySettings, type Environment } from './config.ts';

/**
 * Observability in one module, for HTTP handlers and stream consumers alike: the Powertools logger
 * (structured JSON, never personal data), metrics as CloudWatch EMF (business counts and problems
 * by type) and, when enabled, X-Ray tracing of the AWS SDK clients.
 *
 * Its settings come from the environment (shared/config.ts), validated here at start (a wrong LOG_LEVEL fails the
 * cold start with the variable's name, instead of logging at a level nobody chose).
 *
 * Tracing: the Powertools tracer pulls in aws-xray-sdk-core (~127 KB minified, ~50 ms at import),
 * which alone would break the bundle goals (< 250 KB, < 150 ms). It is therefore external to the
 * bundles and loaded only when `POWERTOOLS_TRACE_ENABLED=true`: deployed, that needs the Powertools
 * Lambda layer (which ships it). Without it, Lambda's active tracing still records each invocation.
 */

/** Reads and validates the observability settings from an environment (shared/config.ts). */
export const readObservabilitySettings = (env: Environment) => observabilitySettings(env);

export const settings = observabilitySettings();

export const logger = new Logger({ serviceName: settings.serviceName, logLevel: settings.logLevel });

/** EMF metrics, namespace `hromada`. Published at the end of each invocation (see `flushMetrics`). */
export const metrics = new Metrics({ namespace: 'hromada', serviceName: settings.serviceName });

/** The business events we count. */
export type CountedEvent = 'SignaturesCounted' | 'AlertsSent' | 'BallotsCast' | 'ConsultationResponses';

/** Adds `value` to a business count of this invocation. */
export function count(event: CountedEvent, value = 1): void {
  if (settings.metrics && value > 0) metrics.addMetric(event, MetricUnit.Count, value);
}

/** Counts one refused or failed request by problem type (`validation`, `not-found`, `internal`...). */
export function countProblem(type: string, status: number): void {
  if (!settings.metrics) return;
  const single = metrics.singleMetric();
  single.addDimensions({ problemType: type, statusClass: `${Math.floor(status / 100)}xx` });
  single.addMetric('Problems', MetricUnit.Count, 1);
}

/** Writes the invocation's stored metrics (one EMF line), if there are any. */
export function flushMetrics(): void {
  if (settings.metrics && metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

/**
 * Wraps a stream consumer (or any plain Lambda handler): Lambda context in every log line, metrics
 * published after each invocation, failures logged before they propagate.
 */
export function observed<E, R>(name: string, handler: (event: E, context?: Context) => Promise<R>) {
  return async (event: E, context?: Context): Promise<R> => {
    logger.resetKeys();
    if (context) logger.addContext(context);
    logger.appendKeys({ consumer: name });
    try {
      return await handler(event, context);
    } catch (error) {
      logger.error('invocation failed', error as Error);
      throw error;
    } finally {
      flushMetrics();
    }
  };
}

interface Tracer {
  captureAWSv3Client<T>(client: T): T;
}
let tracer: Tracer | null | undefined;

function loadTracer(): Tracer | null {
  // A runtime require of a name esbuild does not see: the tracer stays out of the bundle.
  const specifier = ['@aws-lambda-powertools', 'tracer'].join('/');
  try {
    const { Tracer } = createRequire(import.meta.url)(specifier) as { Tracer: new (options: { serviceName: string }) => Tracer };
    return new Tracer({ serviceName: settings.serviceName });
  } catch (error) {
    logger.warn('POWERTOOLS_TRACE_ENABLED is set but the tracer cannot be loaded (add the Powertools layer): SDK calls are not traced', { error: (error as Error).message });
    return null;
  }
}

/**
 * An AWS SDK v3 client, captured by the Powertools tracer when tracing is enabled (an X-Ray
 * subsegment per call); the client itself otherwise.
 */
export function traced<T>(client: T): T {
  if (!settings.tracing) return client;
  tracer ??= loadTracer();
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
