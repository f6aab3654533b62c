import type { Node } from 'constructs';
import { z } from 'zod';

/**
 * Deployment configuration, read from CDK context (`-c key=value` or cdk.json "context") and
 * validated here once. Values given on the command line arrive as strings, so numbers are coerced
 * and JSON objects (oidcProvider) may be given as a JSON string.
 */

const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter((item) => item !== ''));

const jsonObject = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // reported by the object schema below
  }
}, z.unknown());

const oidcProviderSchema = z.object({
  /** Provider name as shown on the managed login page, e.g. "BankID" or "Diia". */
  name: z.string().regex(/^[\w.-]{1,32}$/),
  issuerUrl: z.url({ protocol: /^https$/ }),
  clientId: z.string().min(1),
  /** Secrets Manager ARN of the client secret (plain string secret, or JSON with `clientSecretJsonField`). */
  clientSecretArn: z.string().regex(/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+$/),
  clientSecretJsonField: z.string().optional(),
  scopes: z.array(z.string()).default(['openid', 'profile']),
});

/** CloudWatch Logs accepts only these retention periods. */
const retentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const configSchema = z
  .object({
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,15}$/, 'stage: lower-case letters, digits and dashes, at most 16 characters')
      .default('dev'),
    account: z.string().regex(/^\d{12}$/).optional(),
    /** Frankfurt is the closest region to Ukraine with every service used here. */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/).default('eu-central-1'),
    defaultCommunity: z.string().min(1).default('ternopil'),
    corsOrigins: csv.default(['*']),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    logRetentionDays: z.coerce
      .number()
      .int()
      .refine((days) => (retentionDays as readonly number[]).includes(days), `logRetentionDays must be one of ${retentionDays.join(', ')}`)
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
    oidcProvider: jsonObject.pipe(oidcProviderSchema.optional()),

    councilAlertEmail: z.email().optional(),
    opsAlertEmail: z.email().optional(),

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
  });

export type Config = z.output<typeof configSchema>;
export type OidcProviderConfig = NonNullable<Config['oidcProvider']>;

export const contextKeys = Object.keys(configSchema.shape) as (keyof Config)[];

/**
 * Reads every config key from the construct tree's context. Account and region fall back to the
 * CDK CLI's CDK_DEFAULT_ACCOUNT/REGION (absent without credentials: synth still works).
 */
export function loadConfig(node: Node, env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of contextKeys) {
    const value: unknown = node.tryGetContext(key);
    if (value !== undefined && value !== '') raw[key] = value;
  }
  raw.account ??= env.CDK_DEFAULT_ACCOUNT;
  raw.region ??= env.CDK_DEFAULT_REGION;
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(config)'}: ${issue.message}`);
    throw new Error(`Invalid CDK context:\n${issues.join('\n')}`);
  }
  return result.data;
}
