/**
 * Figure 9 (issue 13): notification fan-out. The local system with the real fan-out and sender
 * stream consumers (DynamoDB Local, the in-process SMTP server). N followers of one petition, each
 * with a contact, are written directly; then one event's job item. Measured: messages prepared per
 * second (the fan-out writing one outbox item per recipient, paging through the follower shards,
 * saving its cursor and resuming), messages sent per second (the sender over SMTP, with its sent
 * markers), and write units per recipient (items the event wrote per recipient, each under 1 KB,
 * so one WCU each).
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#shared/data/client.ts';
import { notifyKeys } from '#shared/data/notifications.ts';
import { defaultConsumers, startLocalSystem } from '../../local/runtime.ts';

export interface FanOutFigure {
  recipients: number;
  preparedPerSecond: number;
  prepareSeconds: number;
  sentPerSecond: number | null;
  sendSeconds: number | null;
  writeUnitsPerRecipient: number;
}

async function countUnder(db: ReturnType<typeof createDocumentClient>, table: string, pk: string, prefix?: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({
      TableName: table,
      KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :p)' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':p': prefix } : {}) },
      Select: 'COUNT',
      ExclusiveStartKey: start,
    }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

export async function measureFanOut(options: { recipients: number; send: boolean; log: (line: string) => void }): Promise<FanOutFigure> {
  const tableName = `bench-fanout-${randomUUID().slice(0, 8)}`;
  const wanted = new Set(['notificationFanOut', ...(options.send ? ['notificationSender'] : [])]);
  const system = await startLocalSystem({ port: 0, inMemory: true, dataDir: '', tableName, consumers: defaultConsumers().filter((c) => wanted.has(c.name)) });
  const db = createDocumentClient();
  try {
    const petitionId = randomUUID();
    options.log(`fan-out: writing ${options.recipients.toLocaleString('en-US')} followers with contacts`);
    const now = new Date().toISOString();
    const items = (i: number) => {
      const sub = `bench-${i}`;
      return [
        { ...notifyKeys.watch('petition', petitionId, sub), type: 'notify-watch' },
        { ...notifyKeys.contact(sub), type: 'notify-contact', email: `p${i}@bench.example`, language: i % 2 ? 'uk' : 'en', kinds: ['followed'], updatedAt: now },
      ];
    };
    const all = Array.from({ length: options.recipients }, (_, i) => items(i)).flat();
    const batches: Promise<unknown>[] = [];
    for (let i = 0; i < all.length; i += 25) {
      batches.push(db.send(new BatchWriteCommand({ RequestItems: { [tableName]: all.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } })));
      if (batches.length >= 16) await Promise.all(batches.splice(0));
    }
    await Promise.all(batches);
    await system.waitForStreams(120_000); // let the consumers pass over the seeding (nothing matches them)

    const key = `petition-threshold:${petitionId}:300`;
    const t0 = performance.now();
    await db.send(new PutCommand({
      TableName: tableName,
      Item: {
        ...notifyKeys.job(key), type: 'notify-job', createdAt: now, expiresAt: Math.floor(Date.now() / 1000) + 86_400,
        event: { type: 'petition-threshold', key, petitionId, title: 'Ліхтарі на вулиці Руській', community: 'ternopil', threshold: 300 },
      },
    }));
    const jobKey = notifyKeys.job(key);
    for (;;) {
      const { Items } = await db.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk AND sk = :sk', ExpressionAttributeValues: { ':pk': jobKey.pk, ':sk': 'JOB' }, ConsistentRead: true }));
      if (Items?.[0]?.doneAt) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const prepareSeconds = (performance.now() - t0) / 1000;
    options.log(`fan-out: ${options.recipients} prepared in ${prepareSeconds.toFixed(1)} s`);
    let sendSeconds: number | null = null;
    if (options.send) {
      await system.waitForStreams(600_000);
      sendSeconds = (performance.now() - t0) / 1000;
      options.log(`fan-out: sent ${system.mail.messages().length} in ${sendSeconds.toFixed(1)} s`);
    }
    const outbox = await countUnder(db, tableName, jobKey.pk, 'TO#');
    const markers = options.send ? await countUnder(db, tableName, `MAIL#${key}`) : outbox; // without the sender: as it would write
    return {
      recipients: options.recipients,
      prepareSeconds,
      preparedPerSecond: options.recipients / prepareSeconds,
      sendSeconds,
      sentPerSecond: sendSeconds ? options.recipients / sendSeconds : null,
      writeUnitsPerRecipient: (outbox + markers) / options.recipients,
    };
  } finally {
    db.destroy();
    await system.stop();
  }
}
