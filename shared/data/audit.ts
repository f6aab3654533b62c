import { randomUUID } from 'node:crypto';
import { queryPage } from './query.ts';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '#shared/auth/roles.ts';

import { tableName } from './table.ts';

/**
 * The audit trail: who did what to which record, and when, for every decision of the staff
 * (moderation, council responses, reports, reviews, results). An entry is written in the same
 * transaction as the decision it records, so there is no decision without its entry, and it is
 * only ever put (`attribute_not_exists`), never updated or deleted by any code path.
 * One partition per community: staff decisions are a handful per minute at most.
 */
export interface AuditEntry {
  readonly community: string;
  readonly action: string;
  readonly actor: Pick<Principal, 'sub' | 'roles'>;
  readonly target: { readonly type: string; readonly id: string };
  readonly detail?: Record<string, unknown>;
  readonly at: Date;
}

export const auditPartition = (community: string) => `AUDIT#${community}`;

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export function auditPut(entry: AuditEntry): TransactItem {
  const at = entry.at.toISOString();
  return {
    Put: {
      TableName: tableName(),
      Item: {
        pk: auditPartition(entry.community),
        sk: `${at}#${randomUUID()}`,
        type: 'audit',
        action: entry.action,
        actorSub: entry.actor.sub,
        actorRoles: [...entry.actor.roles],
        targetType: entry.target.type,
        targetId: entry.target.id,
        ...(entry.detail ? { detail: entry.detail } : {}),
        at,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Applies a decision and its audit entry atomically. Returns false when the decision's own
 * condition failed (someone decided first), so the caller can answer 409.
 */
export function writeWithAudit(db: DynamoDBDocumentClient, items: TransactItem[], entry: AuditEntry): Promise<boolean> {
  return writeTogether(db, [...items, auditPut(entry)]);
}

/** Writes the items in one transaction, all or none; false when one of their conditions failed. */
export async function writeTogether(db: DynamoDBDocumentClient, items: TransactItem[]): Promise<boolean> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
    throw error;
  }
}

export async function auditPage(db: DynamoDBDocumentClient, community: string, limit: number, cursor: string | undefined) {
  const page = await queryPage(db, { partition: auditPartition(community), ascending: false, limit, cursor });
  return {
    items: page.items.map((item) => ({
      at: String(item.at),
      action: String(item.action),
      actor: { sub: String(item.actorSub), roles: item.actorRoles as string[] },
      target: { type: String(item.targetType), id: String(item.targetId) },
      detail: (item.detail as Record<string, unknown> | undefined) ?? null,
    })),
    nextCursor: page.nextCursor,
  };
}
