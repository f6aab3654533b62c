import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { defaultCommunity } from '#shared/config.ts';
import { communityConfigSchema, type CommunityConfig } from '#shared/domain/community.ts';
import { StoreError } from './store-error.ts';
import { keys } from './keys.ts';
import { tableName } from './table.ts';

/**
 * Community configurations are checked in (infra/communities/<id>.json), validated by
 * communityConfigSchema, and written to the table by `applyCommunities`: at deploy by a custom
 * resource (functions/custom-resources/communities.ts), locally by the seed. Handlers read them
 * from the table, cached per Lambda container for a minute.
 */
const cache = new Map<string, { config: CommunityConfig; until: number }>();
const CACHE_MS = 60_000;

export interface GetCommunityOptions {
  /** Also return a community this deployment no longer serves (reading its past records). */
  readonly includeInactive?: boolean;
}

export async function getCommunity(db: DynamoDBDocumentClient, id: string, options: GetCommunityOptions = {}): Promise<CommunityConfig> {
  const hit = cache.get(id);
  if (hit && hit.until > Date.now()) return hit.config; // only active ones are cached
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.community(id) }));
  if (!Item) throw new StoreError('not-allowed', 'unknown-community', `The community "${id}" is not served by this deployment.`);
  const config = Item.config as CommunityConfig;
  if (Item.active === false && !options.includeInactive) {
    throw new StoreError('not-allowed', 'inactive-community', `The community "${id}" is no longer served by this deployment; its records stay readable.`);
  }
  if (Item.active !== false) cache.set(id, { config, until: Date.now() + CACHE_MS });
  return config;
}

/**
 * Writes one community as active (tests and tools; deployments use applyCommunities), and names it
 * in the registry, so what reads every community (the close-petitions schedule) finds it.
 */
export async function putCommunity(db: DynamoDBDocumentClient, config: CommunityConfig): Promise<void> {
  const now = new Date();
  await db.send(new PutCommand({ TableName: tableName(), Item: communityItem(config, now) }));
  cache.delete(config.id);
  const known = await communityIds(db);
  if (!known.includes(config.id)) {
    await db.send(new PutCommand({ TableName: tableName(), Item: { ...registryKey, type: 'community-registry', ids: [...known, config.id].sort(), updatedAt: now.toISOString() } }));
  }
}

/**
 * Every community this table has served (the registry: active ones and those no longer served,
 * whose records stay), sorted.
 */
export async function communityIds(db: DynamoDBDocumentClient): Promise<string[]> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: registryKey, ConsistentRead: true }));
  return Array.isArray(Item?.ids) ? (Item.ids as unknown[]).map(String).sort() : [];
}

/** The community a public listing is for: the query's, or the deployment's default. */
export function resolveCommunity(requested: string | undefined): string {
  const id = requested ?? defaultCommunity();
  if (!id) throw new StoreError('invalid-request', 'community-required', 'Name the community: ?community=<id>.');
  return id;
}

// ---------------------------------------------------------------------------------------------
// Communities as configuration

/** Where the checked-in community files are. */
export const communitiesDir = fileURLToPath(new URL('../../infra/communities/', import.meta.url));

/**
 * Reads and validates every `<dir>/*.json` (or only the ids in `only`). Throws naming the file and
 * field of each problem; the file name must be the community id.
 */
export function loadCommunityFiles(dir: string = communitiesDir, only?: readonly string[]): CommunityConfig[] {
  const files = readdirSync(dir).filter((file) => file.endsWith('.json')).sort();
  const available = files.map((file) => file.slice(0, -'.json'.length));
  const missing = (only ?? []).filter((id) => !available.includes(id));
  if (missing.length > 0) throw new Error(`No community file for ${missing.join(', ')} in ${dir} (there are: ${available.join(', ')})`);
  const problemsFound: string[] = [];
  const configs: CommunityConfig[] = [];
  for (const file of files) {
    const id = file.slice(0, -'.json'.length);
    if (only && !only.includes(id)) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      problemsFound.push(`  - ${file}: not JSON (${(error as Error).message})`);
      continue;
    }
    const result = communityConfigSchema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) problemsFound.push(`  - ${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
    } else if (result.data.id !== id) {
      problemsFound.push(`  - ${file}: id: is "${result.data.id}", but the file name says "${id}"`);
    } else {
      configs.push(result.data);
    }
  }
  if (problemsFound.length > 0) throw new Error(`Invalid community configuration:\n${problemsFound.join('\n')}`);
  return configs;
}

/** The list of community ids ever applied: what applyCommunities marks inactive when a file goes. */
export const registryKey = { pk: 'COMMUNITIES', sk: 'REGISTRY' } as const;

const configSha = (config: CommunityConfig) => createHash('sha256').update(JSON.stringify(config)).digest('hex');

function communityItem(config: CommunityConfig, now: Date) {
  return { ...keys.community(config.id), type: 'community', config, active: true, configSha: configSha(config), updatedAt: now.toISOString() };
}

export interface ApplyResult {
  /** Created, changed or re-activated. */
  readonly written: string[];
  readonly unchanged: string[];
  /** In the registry (applied before) but no longer configured: marked inactive, data kept. */
  readonly deactivated: string[];
}

/**
 * Makes the table serve exactly `configs`: each is written (active) unless the stored one is the
 * same; a community applied before and now absent is marked `active: false`, never deleted (its
 * petitions, budgets and audit trail stay). Idempotent: a re-run with the same input writes
 * nothing. Refuses an invalid config before writing anything.
 */
export async function applyCommunities(db: DynamoDBDocumentClient, input: readonly unknown[], now = new Date()): Promise<ApplyResult> {
  const configs = input.map((raw, i) => {
    const result = communityConfigSchema.safeParse(raw);
    if (!result.success) throw new Error(`Community #${i}: ${result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    return result.data;
  });
  const ids = configs.map((config) => config.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`Community "${duplicate}" is configured twice`);

  const result: ApplyResult = { written: [], unchanged: [], deactivated: [] };
  for (const config of configs) {
    const item = communityItem(config, now);
    try {
      await db.send(
        new PutCommand({
          TableName: tableName(),
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR configSha <> :sha OR active <> :active',
          ExpressionAttributeValues: { ':sha': item.configSha, ':active': true },
        }),
      );
      result.written.push(config.id);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      result.unchanged.push(config.id);
    }
    cache.delete(config.id);
  }

  const { Item: registry } = await db.send(new GetCommand({ TableName: tableName(), Key: registryKey, ConsistentRead: true }));
  const known = new Set<string>(Array.isArray(registry?.ids) ? (registry.ids as string[]) : []);
  for (const id of [...known].sort()) {
    if (ids.includes(id)) continue;
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.community(id),
          UpdateExpression: 'SET active = :false, deactivatedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND active <> :false',
          ExpressionAttributeValues: { ':false': false, ':now': now.toISOString() },
        }),
      );
      result.deactivated.push(id);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    cache.delete(id);
  }
  await db.send(
    new PutCommand({ TableName: tableName(), Item: { ...registryKey, type: 'community-registry', ids: [...new Set([...known, ...ids])].sort(), updatedAt: now.toISOString() } }),
  );
  return result;
}
