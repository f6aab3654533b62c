import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CommunityConfig } from '../domain/community.ts';
import { problems } from '../http/problem.ts';
import { keys } from './keys.ts';
import { tableName } from './table.ts';

/**
 * Community configurations live in the table, so a deployment takes on another council without a
 * redeploy. Read often, changed rarely: cached per Lambda container for a minute.
 */
const cache = new Map<string, { config: CommunityConfig; until: number }>();
const CACHE_MS = 60_000;

export async function getCommunity(db: DynamoDBDocumentClient, id: string): Promise<CommunityConfig> {
  const hit = cache.get(id);
  if (hit && hit.until > Date.now()) return hit.config;
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: keys.community(id) }));
  if (!Item) throw problems.forbidden('unknown-community', `The community "${id}" is not served by this deployment.`);
  const config = Item.config as CommunityConfig;
  cache.set(id, { config, until: Date.now() + CACHE_MS });
  return config;
}

export async function putCommunity(db: DynamoDBDocumentClient, config: CommunityConfig): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName(), Item: { ...keys.community(config.id), type: 'community', config } }));
  cache.delete(config.id);
}

/** The community a public listing is for: the query's, or the deployment's default. */
export function resolveCommunity(requested: string | undefined): string {
  const id = requested ?? process.env.DEFAULT_COMMUNITY;
  if (!id) throw problems.badRequest('community-required', 'Name the community: ?community=<id>.');
  return id;
}
