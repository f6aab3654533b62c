import { createRequire } from 'node:module';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import * as z from 'zod';

/**
 * Observability in one module, for HTTP handlers and stream consumers alike: the Powertools logger
 * (structured JSON, never personal data), metrics as CloudWatch EMF (business counts and problems
 * by type) and, when enabled, X-Ray tracing of the AWS SDK clients.
 *
 * Its settings come from the environment, validated here at start (a wrong LOG_LEVEL fails the
 * cold start with the variable's name, instead of logging at a level nobody chose).
 *
 * Tracing: the Powertools tracer pulls in aws-xray-sdk-core (~127 KB minified, ~50 ms at import),
 * which alone would break the bundle goals (< 250 KB, < 150 ms). It is therefore external to the
 * bundles and loaded only when `POWERTOOLS_TRACE_ENABLED=true`: deployed, that needs the Powertools
 * Lambda layer (which ships it). Without it, Lambda's active tracing still records each invocation.
 */

const settingsSchema = z.object({
  LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL']).default('INFO'),
  POWERTOOLS_SERVICE_NAME: z.string().min(1).default('hromada'),
  POWERTOOLS_TRACE_ENABLED: z.enum(['true', 'false']).optional(),
  POWERTOOLS_METRICS_DISABLED: z.enum(['true', 'false']).optional(),
  AWS_LAMBDA_FUNCTION_NAME: z.string().optional(),
});

/** Reads and validates the observability settings from an environment. */
export function readObservabilitySettings(env: Readonly<Record<string, string | undefined>>) {
  const result = settingsSchema.safeParse({
    LOG_LEVEL: env.LOG_LEVEL?.toUpperCase() || undefined,
    POWERTOOLS_SERVICE_NAME: env.POWERTOOLS_SERVICE_NAME || undefined,
    POWERTOOLS_TRACE_ENABLED: env.POWERTOOLS_TRACE_ENABLED || undefined,
    POWERTOOLS_METRICS_DISABLED: env.POWERTOOLS_METRICS_DISABLED || undefined,
    AWS_LAMBDA_FUNCTION_NAME: env.AWS_LAMBDA_FUNCTION_NAME || undefined,
  });
  if (!result.success) {
    const where = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid observability settings in the environment (${where}).`);
  }
  const settings = result.data;
  return {
    logLevel: settings.LOG_LEVEL,
    serviceName: settings.POWERTOOLS_SERVICE_NAME,
    tracing: settings.POWERTOOLS_TRACE_ENABLED === 'true',
    // EMF lines only where CloudWatch reads them (in Lambda), unless asked for (local runs, tests).
    metrics: settings.POWERTOOLS_METRICS_DISABLED ? settings.POWERTOOLS_METRICS_DISABLED === 'false' : settings.AWS_LAMBDA_FUNCTION_NAME !== undefined,
  };
}

export const settings = readObservabilitySettings(process.env);

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
