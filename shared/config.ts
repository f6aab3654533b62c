import type * as z from 'zod';

/**
 * Configuration from the environment, in one module: the only reader of `process.env` in shared/
 * and functions/ (lint enforces it). One setting per concern: the variables it reads, each with a
 * reader that checks its value, and a typed accessor; a value that does not fit fails naming the
 * variable.
 *
 * Read lazily and per call, not frozen at import: the local runtime runs every handler in one
 * process and sets the environment while loading them, and tests change it between runs. Each
 * accessor reads again only when the variables it reads changed (a string comparison otherwise),
 * so calling one per request costs next to nothing. A handler validates at start (its cold start)
 * by calling what it needs at module level, as the authorizer, the pre-token trigger, every HTTP
 * handler (CORS) and observability (everyone) do.
 *
 * Light on purpose: it is in every bundle and runs in every cold start. The variables are checked
 * by the small readers below, not by zod (building and first-parsing the settings' zod schemas cost
 * ~5 ms of each cold start); each setting is created `@__PURE__`, so a bundle keeps only the
 * settings its code calls (infra/bundle.ts tree-shakes); the residency mapping, a JSON document, is
 * validated by the caller's zod schema, passed in rather than imported here.
 *
 * The variables each setting reads (`setting.variables`) are what the parity test compares with
 * each function's Environment in the CDK templates (test/infra/parity.test.ts).
 */

export type Environment = Readonly<Record<string, string | undefined>>;

/** A configuration value that is missing or invalid; the message names the variable. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** An accessor of one concern's settings. */
export interface Setting<T> {
  (env?: Environment): T;
  /** What it configures, for messages ("observability", "auth"...). */
  readonly concern: string;
  /** The environment variables it reads. */
  readonly variables: readonly string[];
}

/** Reads one variable's value (undefined: unset), or throws an InvalidValue saying what is wrong with it. */
type Reader<T> = (raw: string | undefined) => T;

class InvalidValue extends Error {}

type Values<R extends Record<string, Reader<unknown>>> = { [K in keyof R]: ReturnType<R[K]> };

/**
 * Defines a setting: its variables, each read and checked by its reader, then `derive`d into what
 * callers use. `derive` may throw a ConfigurationError for rules across variables.
 */
function setting<R extends Record<string, Reader<unknown>>, T>(concern: string, readers: R, derive: (values: Values<R>) => T): Setting<T> {
  const names = Object.keys(readers);
  let cached: { key: string; value: T } | undefined;
  const read = (env: Environment = process.env): T => {
    const raw = names.map((name) => env[name]);
    const key = JSON.stringify(raw);
    if (cached?.key === key) return cached.value;
    const values: Record<string, unknown> = {};
    const problems: string[] = [];
    names.forEach((name, i) => {
      try {
        values[name] = readers[name]!(raw[i]);
      } catch (error) {
        if (!(error instanceof InvalidValue)) throw error;
        problems.push(`${name}: ${error.message}`);
      }
    });
    if (problems.length > 0) throw new ConfigurationError(`Invalid ${concern} settings in the environment (${problems.join('; ')}).`);
    const value = derive(values as Values<R>);
    cached = { key, value };
    return value;
  };
  return Object.defineProperties(read, {
    concern: { value: concern },
    variables: { value: names },
  }) as Setting<T>;
}

// Readers are values, not calls, where they can be: a setting no code calls is then removed whole
// from a bundle (a call in its arguments could be kept for its side effects).

/** Any string, or unset. */
const text: Reader<string | undefined> = (raw) => raw;
/** A URL when set (the empty string counts as unset). */
const url: Reader<string | undefined> = (raw) => {
  if (raw && !URL.canParse(raw)) throw new InvalidValue('not a URL');
  return raw;
};
/** One of the values given, or unset. */
const oneOf = /* @__NO_SIDE_EFFECTS__ */ <V extends string>(values: readonly V[]): Reader<V | undefined> => (raw) => {
  if (raw !== undefined && !(values as readonly string[]).includes(raw)) throw new InvalidValue(`expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
  return raw as V | undefined;
};

// --- Observability -------------------------------------------------------------------------------

const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL'] as const;
/** A log level in any case; unset or empty: INFO. */
const logLevel: Reader<(typeof logLevels)[number]> = (raw) => oneOf(logLevels)(raw?.toUpperCase() || undefined) ?? 'INFO';

/** Logger, metrics and tracing (shared/observability.ts). The empty string counts as unset. */
export const observabilitySettings = /* @__PURE__ */ setting('observability', {
  LOG_LEVEL: logLevel,
  POWERTOOLS_SERVICE_NAME: text,
  POWERTOOLS_TRACE_ENABLED: oneOf(['true', 'false', '']),
  POWERTOOLS_METRICS_DISABLED: oneOf(['true', 'false', '']),
  AWS_LAMBDA_FUNCTION_NAME: text,
}, (env) => ({
  logLevel: env.LOG_LEVEL,
  serviceName: env.POWERTOOLS_SERVICE_NAME || 'hromada',
  tracing: env.POWERTOOLS_TRACE_ENABLED === 'true',
  // EMF lines only where CloudWatch reads them (in Lambda), unless asked for (local runs, tests).
  metrics: env.POWERTOOLS_METRICS_DISABLED ? env.POWERTOOLS_METRICS_DISABLED === 'false' : !!env.AWS_LAMBDA_FUNCTION_NAME,
}));

// --- Data ----------------------------------------------------------------------------------------

/** The table's name: `TABLE_NAME` in Lambda (set by CDK) and locally (set by the local runtime). */
export const tableName = /* @__PURE__ */ setting('table', { TABLE_NAME: text }, (env) => {
  if (!env.TABLE_NAME) throw new ConfigurationError('TABLE_NAME is not set');
  return env.TABLE_NAME;
});

/** The DynamoDB endpoint: DynamoDB Local's (`DYNAMODB_ENDPOINT`), or undefined for AWS's own. */
export const dynamoEndpoint = /* @__PURE__ */ setting('DynamoDB', { DYNAMODB_ENDPOINT: url }, (env) => env.DYNAMODB_ENDPOINT || undefined);

/** The community public listings are for when the query names none (`DEFAULT_COMMUNITY`). */
export const defaultCommunity = /* @__PURE__ */ setting('community', { DEFAULT_COMMUNITY: text }, (env) => env.DEFAULT_COMMUNITY || undefined);

/** Where derived data is kept: an S3 bucket (AWS), a folder (local), else memory; one namespace per table. */
export interface DerivedDataLocation {
  readonly bucket: string | undefined;
  readonly dir: string | undefined;
  readonly namespace: string;
}

/** The search indexes (shared/search/store.ts): `SEARCH_BUCKET`, else `SEARCH_INDEX_DIR`. */
export const searchIndexLocation = /* @__PURE__ */ setting('search index', { SEARCH_BUCKET: text, SEARCH_INDEX_DIR: text, TABLE_NAME: text }, (env): DerivedDataLocation => ({
  bucket: env.SEARCH_BUCKET,
  dir: env.SEARCH_INDEX_DIR,
  namespace: env.TABLE_NAME ?? 'default',
}));

/** The open-data snapshots (shared/open-data/snapshots.ts): `OPEN_DATA_BUCKET`, else `OPEN_DATA_DIR`. */
export const openDataLocation = /* @__PURE__ */ setting('open data', { OPEN_DATA_BUCKET: text, OPEN_DATA_DIR: text, TABLE_NAME: text }, (env): DerivedDataLocation => ({
  bucket: env.OPEN_DATA_BUCKET,
  dir: env.OPEN_DATA_DIR,
  namespace: env.TABLE_NAME ?? 'default',
}));

// --- HTTP ----------------------------------------------------------------------------------------

/** The origins CORS allows (`CORS_ORIGINS`, comma-separated; `*`, the default, allows every one). */
export const corsOrigins = /* @__PURE__ */ setting('CORS', { CORS_ORIGINS: text }, (env): readonly string[] =>
  (env.CORS_ORIGINS ?? '*').split(',').map((origin) => origin.trim()));

/** The web app's origin, for links in e-mails (`WEB_ORIGIN`; unset: links are paths alone). */
export const webOrigin = /* @__PURE__ */ setting('web origin', { WEB_ORIGIN: text }, (env) => env.WEB_ORIGIN);

// --- Auth ----------------------------------------------------------------------------------------

/** The token issuer the authorizer trusts (`AUTH_ISSUER`, `AUTH_AUDIENCE`, `AUTH_JWKS_URL`). */
export const authSettings = /* @__PURE__ */ setting('auth', { AUTH_ISSUER: text, AUTH_AUDIENCE: text, AUTH_JWKS_URL: url }, (env) => {
  const issuer = env.AUTH_ISSUER ?? '';
  const jwks = env.AUTH_JWKS_URL ?? `${issuer}/.well-known/jwks.json`;
  if (!URL.canParse(jwks)) throw new ConfigurationError(`Invalid auth settings in the environment (AUTH_ISSUER: not a URL, and AUTH_JWKS_URL is not set).`);
  return { issuer, audience: env.AUTH_AUDIENCE || undefined, jwksUrl: new URL(jwks) };
});

/**
 * The stage's residency mapping (`RESIDENCY`, JSON; `null` or unset when the stage has none),
 * validated by the caller's schema (shared/auth/residency.ts: not imported here, to keep this
 * module light in bundles that do not need it).
 */
export const residencySetting = /* @__PURE__ */ Object.assign(<T>(schema: z.ZodType<T>, env: Environment = process.env): T | undefined => {
  let configured: unknown;
  try {
    configured = JSON.parse(env.RESIDENCY ?? 'null');
  } catch {
    throw new ConfigurationError('Invalid residency settings in the environment (RESIDENCY: not JSON).');
  }
  if (configured === null) return undefined;
  const result = schema.safeParse(configured);
  if (!result.success) {
    const where = result.error.issues.map((issue) => `RESIDENCY${issue.path.map((part) => `.${String(part)}`).join('')}: ${issue.message}`).join('; ');
    throw new ConfigurationError(`Invalid residency settings in the environment (${where}).`);
  }
  return result.data;
}, { concern: 'residency', variables: ['RESIDENCY'] as readonly string[] });

// --- Secrets, mail, alerts -----------------------------------------------------------------------

/** Where the key ring is: the JSON itself (`HROMADA_SECRETS`, local runs and tests), else the Secrets Manager secret `SECRETS_ARN`. */
export const keyRingSource = /* @__PURE__ */ setting('key ring', { HROMADA_SECRETS: text, SECRETS_ARN: text }, (env) => ({
  json: env.HROMADA_SECRETS,
  arn: env.SECRETS_ARN || undefined,
}));

/** E-mail: SES (`MAIL_FROM` + `MAIL_CONFIGURATION_SET`) or the local SMTP server (`LOCAL_SMTP_URL`). */
export const mailSettings = /* @__PURE__ */ setting('mail', { MAIL_FROM: text, MAIL_CONFIGURATION_SET: text, LOCAL_SMTP_URL: url }, (env) => ({
  from: env.MAIL_FROM || undefined,
  configurationSet: env.MAIL_CONFIGURATION_SET || undefined,
  localSmtpUrl: env.LOCAL_SMTP_URL || undefined,
}));

/** Where alerts go: an EventBridge bus (`EVENT_BUS_NAME`, AWS) or a file (`LOCAL_ALERT_SINK`, local runs). */
export const alertDestination = /* @__PURE__ */ setting('alerts', { EVENT_BUS_NAME: text, LOCAL_ALERT_SINK: text }, (env) => ({
  eventBusName: env.EVENT_BUS_NAME || undefined,
  localSink: env.LOCAL_ALERT_SINK || undefined,
}));
