import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node } from 'constructs';
import * as z from 'zod';
import { residencySchema } from '#shared/auth/residency.ts';
import { communityId } from '#shared/schemas/common.ts';

/**
 * Deployment configuration: one checked-in file per stage, `infra/stages/<stage>.json`, validated
 * here once. `-c stage=<name>` picks the file (default `dev`). Any other `-c key=value` overrides
 * one field of the file for that run (values from the command line arrive as strings: numbers are
 * coerced, lists may be comma-separated, objects given as JSON), except `account`, `region` and
 * `production`, which only the file sets. What a deployment must keep belongs in the file: a later
 * deploy that forgets a flag then changes nothing.
 */

export const stagesDir = fileURLToPath(new URL('./stages/', import.meta.url));

const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter((item) => item !== ''));

const json = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // reported by the object schema
  }
};

const oidcProviderSchema = z.strictObject({
  /** Provider name as shown on the managed login page, e.g. "BankID" or "Diia". */
  name: z.string().regex(/^[\w.-]{1,32}$/),
  issuerUrl: z.url({ protocol: /^https$/ }),
  clientId: z.string().min(1),
  /** Secrets Manager ARN of the client secret (plain string secret, or JSON with `clientSecretJsonField`). */
  clientSecretArn: z.string().regex(/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+$/),
  clientSecretJsonField: z.string().optional(),
  scopes: z.array(z.string()).default(['openid', 'profile']),
  /**
   * The provider's claim with the person's national identifier (РНОКПП), mapped onto
   * `custom:national_id`: a budget's voter marker is keyed on it, so one person votes once online
   * or on paper (README: Ballots and voter markers). ID.gov.ua names it `drfocode`.
   */
  nationalIdClaim: z.string().min(1).default('drfocode'),
});

/** CloudWatch Logs accepts only these retention periods. */
const retentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const configSchema = z
  .strictObject({
    /** From the file name (infra/stages/<stage>.json); a file may repeat it, and must then agree. */
    stage: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'lower-case letters, digits and dashes, at most 16 characters'),
    /** Free text for people reading the file (e.g. "EXAMPLE: replace the account"). Not used. */
    description: z.string().optional(),
    account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    /** Required, no default: Ukrainian personal data belongs in an EU region (eu-central-1 is Frankfurt). */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1'),
    /**
     * A production stage keeps what holds data or evidence when a stack goes: termination
     * protection on every stack, log groups retained. (The table, its key, the key ring and the
     * user pool are RETAIN on every stage.)
     */
    production: z.boolean({ error: 'must be true or false' }),
    /** Communities (infra/communities/<id>.json) this stage serves; default: every file there. */
    communities: z.array(communityId).min(1).optional(),
    defaultCommunity: communityId.default('ternopil'),
    corsOrigins: csv.default(['*']),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    logRetentionDays: z.coerce
      .number()
      .int()
      .refine((days) => (retentionDays as readonly number[]).includes(days), `must be one of ${retentionDays.join(', ')}`)
      .default(90),

    // Identity: by default the API trusts this app's Cognito user pool. A city that runs its own
    // OIDC issuer sets all three (the JWKS URL defaults to <issuer>/.well-known/jwks.json).
    authIssuer: z.url({ protocol: /^https$/ }).optional(),
    authJwksUrl: z.url({ protocol: /^https$/ }).optional(),
    authAudience: z.string().min(1).optional(),
    authCallbackUrls: csv.default(['http://localhost:5173/auth/callback']),
    authLogoutUrls: csv.default(['http://localhost:5173/']),
    /** Cognito managed-login domain prefix (must be unique in the region); no domain when unset. */
    authDomainPrefix: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/).optional(),
    /** Cognito feature plan. PLUS turns on threat protection (compromised credentials, adaptive auth). */
    cognitoFeaturePlan: z.enum(['essentials', 'plus']).default('essentials'),
    oidcProvider: z.preprocess(json, oidcProviderSchema.optional()),
    residency: z.preprocess(json, residencySchema.optional()),

    /**
     * Gone: it subscribed one address to an SNS topic nothing published to. A council's alert
     * recipients are named per community (infra/communities/<id>.json `council.alertRecipients`).
     */
    councilAlertEmail: z.never({ error: 'councilAlertEmail is no longer used: name the council\'s alert recipients in infra/communities/<id>.json (council.alertRecipients)' }).optional(),
    opsAlertEmail: z.email().optional(),
    /**
     * E-mail through Amazon SES v2: the sending domain (an SES identity verified by DKIM: publish the
     * CNAME records the stack's identity lists) and the From address on it. Unset: the deployment
     * sends no e-mail; council alerts stay undelivered and an alarm says so.
     */
    mail: z.preprocess(json, z.strictObject({
      domain: z.string().regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lower-case domain such as rada.ternopil.example'),
      from: z.string().min(3).max(320),
    }).refine((mail) => new RegExp(`@${mail.domain.replace(/\./g, '\\.')}>?$`).test(mail.from), {
      message: 'from must be an address on the mail domain, e.g. "Громада <no-reply@rada.ternopil.example>"',
      path: ['from'],
    }).optional()),
    /** The web app's origin (https://petitions.ternopil.example): links in e-mails (the council console, unsubscribe). */
    webOrigin: z.url({ protocol: /^https?$/ }).optional(),

    /** WAF: requests per IP per 5 minutes. Writes are POST/PUT/PATCH/DELETE. */
    wafWriteRateLimit: z.coerce.number().int().min(10).max(2_000_000_000).default(300),
    wafRateLimit: z.coerce.number().int().min(10).max(2_000_000_000).default(3000),
    /** API Gateway stage throttling (requests per second, token bucket). */
    apiRateLimit: z.coerce.number().int().positive().default(500),
    apiBurstLimit: z.coerce.number().int().positive().default(1000),

    lambdaMemoryMb: z.coerce.number().int().min(128).max(10240).default(1024),
    lambdaTimeoutSeconds: z.coerce.number().int().min(1).max(29).default(10),
    iteratorAgeAlarmSeconds: z.coerce.number().int().positive().default(60),
  })
  .refine((config) => config.authIssuer !== undefined || (config.authJwksUrl === undefined && config.authAudience === undefined), {
    message: 'authJwksUrl and authAudience only make sense with authIssuer (an external OIDC issuer)',
    path: ['authIssuer'],
  })
  .refine((config) => config.authIssuer === undefined || config.authAudience !== undefined, {
    message: 'authIssuer needs authAudience (the client id the issuer puts in `aud`)',
    path: ['authAudience'],
  })
  .refine((config) => config.residency === undefined || config.oidcProvider !== undefined, {
    message: 'residency maps a claim of the identity provider: set oidcProvider too',
    path: ['residency'],
  })
  .refine((config) => config.oidcProvider === undefined || config.residency !== undefined, {
    // Without it no federated person gets a community or a role: every citizen would be locked out.
    message: 'oidcProvider needs residency: the provider claim that says where a person lives, and its values -> community ids',
    path: ['residency'],
  })
  .refine((config) => !config.communities || !config.residency || Object.values(config.residency.communities).every((id) => config.communities?.includes(id)), {
    message: 'residency maps onto a community this stage does not serve (see communities)',
    path: ['residency'],
  })
  .refine((config) => !config.communities || config.communities.includes(config.defaultCommunity), {
    message: 'defaultCommunity must be one of communities',
    path: ['defaultCommunity'],
  });

export type Config = z.output<typeof configSchema>;
export type OidcProviderConfig = NonNullable<Config['oidcProvider']>;
export type ResidencyConfig = NonNullable<Config['residency']>;

export const configKeys = Object.keys(configSchema.shape) as (keyof Config)[];
/** Fields only the stage file sets: the identity of the deployment. */
export const fileOnlyKeys: readonly (keyof Config)[] = ['account', 'region', 'production'];

const stageName = configSchema.shape.stage;

/** The checked-in stages: the names of infra/stages/*.json. */
export function stageNames(dir: string = stagesDir): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

export interface LoadConfigOptions {
  /** Folder of the stage files. Default: infra/stages. */
  readonly stagesDir?: string;
  /** The stage file's content, instead of reading it (tests of stacks that need no checked-in stage). */
  readonly stageFile?: Record<string, unknown>;
}

const describeIssues = (issues: readonly z.core.$ZodIssue[]) =>
  issues.map((issue) => `  - ${issue.path.join('.') || '(file)'}: ${issue.message}`).join('\n');

/** Reads and validates `<dir>/<stage>.json`; throws a message naming the file and every bad field. */
export function readStageFile(stage: string, dir: string = stagesDir): Record<string, unknown> {
  const file = join(dir, `${stage}.json`);
  const shown = relative(process.cwd(), file) || file;
  if (!existsSync(file)) {
    const known = existsSync(dir) ? stageNames(dir) : [];
    throw new Error(
      `No configuration for stage "${stage}": ${shown} does not exist. Checked-in stages: ${known.join(', ') || 'none'}. ` +
        'Copy infra/stages/prod.json (an example) and fill it in.',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Invalid stage configuration ${shown}: not JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`Invalid stage configuration ${shown}: must be a JSON object`);
  return parsed as Record<string, unknown>;
}

/**
 * The configuration of the stage named by context `stage` (default `dev`): its file, then the
 * context overrides (`-c key=value`), validated together. Context keys that are not fields
 * (CDK feature flags) are ignored.
 */
export function loadConfig(node: Node, options: LoadConfigOptions = {}): Config {
  const stageResult = stageName.safeParse(node.tryGetContext('stage') ?? 'dev');
  if (!stageResult.success) throw new Error(`Invalid stage name (-c stage=...): ${stageResult.error.issues[0]?.message ?? 'invalid'}`);
  const stage = stageResult.data;
  const source = options.stageFile ? `for stage "${stage}"` : `infra/stages/${stage}.json`;
  const file = options.stageFile ?? readStageFile(stage, options.stagesDir);
  if (file.stage !== undefined && file.stage !== stage) {
    throw new Error(`Invalid stage configuration ${source}:\n  - stage: is "${String(file.stage)}" but the file is for "${stage}"`);
  }

  const overrides: Record<string, unknown> = {};
  const refused: string[] = [];
  for (const key of configKeys) {
    if (key === 'stage') continue;
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === '') continue;
    if (fileOnlyKeys.includes(key)) refused.push(key);
    else overrides[key] = value;
  }
  if (refused.length > 0) {
    throw new Error(`${refused.join(', ')} cannot be given with -c: ${source} sets ${refused.length > 1 ? 'them' : 'it'} (the identity of the deployment).`);
  }

  const result = configSchema.safeParse({ ...file, ...overrides, stage });
  if (!result.success) {
    const fromCli = result.error.issues.some((issue) => typeof issue.path[0] === 'string' && issue.path[0] in overrides);
    throw new Error(`Invalid stage configuration ${source}${fromCli ? ' (with -c overrides)' : ''}:\n${describeIssues(result.error.issues)}`);
  }
  return result.data;
}
