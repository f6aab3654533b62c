/**
 * The signature counter never checkpoints past a record it did not count: a read that comes back
 * incomplete (unprocessed keys) is read again, and a petition that cannot be read fails the batch
 * (retried, then dead-lettered) instead of being skipped. The records are built as Lambda delivers
 * them, on a shard id of their own, against a real table in DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { BatchGetCommand, DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { keys } from '#shared/data/keys.ts';
import { tableName } from '#shared/data/table.ts';
import { countSignatures } from '#shared/streams/signature-counter.ts';
import { openPetition, startTestSystem, type TestSystem } from '../support/system.ts';

let api: TestSystem;
let db: DynamoDBDocumentClient;
beforeAll(async () => {
  api = await startTestSystem();
  db = createDocumentClient();
});
afterAll(async () => {
  db?.destroy();
  await api?.stop();
});

let sequence = 1_000;
const signatureRecords = (petitionId: string, count: number): DynamoDBRecord[] =>
  Array.from({ length: count }, () => ({
    eventName: 'INSERT',
    dynamodb: {
      Keys: { pk: { S: `PERSON#${randomUUID()}` }, sk: { S: `SIG#${petitionId}` } },
      SequenceNumber: String(++sequence).padStart(21, '0'),
    },
  }));

const storedCount = async (petitionId: string) =>
  ((await db.send(new GetCommand({ TableName: tableName(), Key: keys.petitionCount(petitionId), ConsistentRead: true }))).Item?.signatureCount as number);

/** The real client, but its first batch read answers with every key unprocessed (as a throttled DynamoDB may). */
function firstBatchReadUnprocessed(real: DynamoDBDocumentClient): { client: DynamoDBDocumentClient; unprocessed: () => number } {
  let unprocessed = 0;
  const client = new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: { input: { RequestItems?: Record<string, unknown> } }) => {
        if (command instanceof BatchGetCommand && unprocessed === 0) {
          unprocessed++;
          return { Responses: {}, UnprocessedKeys: command.input.RequestItems, $metadata: {} };
        }
        return target.send(command as never);
      };
    },
  });
  return { client, unprocessed: () => unprocessed };
}

describe('signature counter', () => {
  it('reads again when a batch read leaves keys unprocessed, and counts every record once', async () => {
    const petition = await openPetition(api);
    const { client, unprocessed } = firstBatchReadUnprocessed(db);
    const records = signatureRecords(petition.id, 3);
    const outcome = await countSignatures(client, records, `test-shard-${randomUUID()}`);
    expect(unprocessed()).toBe(1);
    expect(outcome.failedSequenceNumbers).toEqual([]);
    expect(await storedCount(petition.id)).toBe(3);
  });

  it('fails the records of a petition it cannot read instead of skipping them', async () => {
    const known = await openPetition(api);
    const unknownId = randomUUID();
    const unknownRecords = signatureRecords(unknownId, 2);
    const outcome = await countSignatures(db, [...signatureRecords(known.id, 2), ...unknownRecords], `test-shard-${randomUUID()}`);
    expect(outcome.failedSequenceNumbers).toEqual([unknownRecords[0]!.dynamodb!.SequenceNumber]);
    expect(await storedCount(known.id)).toBe(2);
  });

  it('writes the count on the count item alone: the petition item and its listings are not rewritten', async () => {
    const petition = await openPetition(api);
    const read = async () => (await db.send(new GetCommand({ TableName: tableName(), Key: keys.petition(petition.id), ConsistentRead: true }))).Item!;
    const before = await read();
    const outcome = await countSignatures(db, signatureRecords(petition.id, 4), `test-shard-${randomUUID()}`);
    expect(outcome.failedSequenceNumbers).toEqual([]);
    expect(await read()).toEqual(before);
    expect(before.signatureCount).toBeUndefined();
    expect(before.gsi3pk).toBeUndefined();
    const count = (await db.send(new GetCommand({ TableName: tableName(), Key: keys.petitionCount(petition.id), ConsistentRead: true }))).Item!;
    expect(count).toMatchObject({ signatureCount: 4, petitionId: petition.id, gsi3pk: before.gsi1pk, gsi3sk: `000000000004#${petition.id}`, closesAt: before.closesAt });
  });

  it('moves a count still on the petition item (published before count items) to a count item with its next count', async () => {
    const petition = await openPetition(api);
    // The layout before count items: the count and the "most signed" entry on the petition item.
    const listing = keys.petitionListing('ternopil', 'open');
    await db.send(new DeleteCommand({ TableName: tableName(), Key: keys.petitionCount(petition.id) }));
    await db.send(new UpdateCommand({
      TableName: tableName(), Key: keys.petition(petition.id),
      UpdateExpression: 'SET signatureCount = :n, gsi3pk = :pk, gsi3sk = :sk',
      ExpressionAttributeValues: { ':n': 7, ':pk': listing, ':sk': `000000000007#${petition.id}` },
    }));
    expect((await api.request('GET', `/v1/petitions/${petition.id}`)).body.signatureCount).toBe(7);

    const outcome = await countSignatures(db, signatureRecords(petition.id, 2), `test-shard-${randomUUID()}`);
    expect(outcome.failedSequenceNumbers).toEqual([]);
    expect(await storedCount(petition.id)).toBe(9);
    const item = (await db.send(new GetCommand({ TableName: tableName(), Key: keys.petition(petition.id), ConsistentRead: true }))).Item!;
    expect([item.signatureCount, item.gsi3pk, item.gsi3sk]).toEqual([undefined, undefined, undefined]);
    expect((await api.request('GET', `/v1/petitions/${petition.id}`)).body.signatureCount).toBe(9);
    // In the ranking once, by its count item.
    const ranked = await api.request('GET', '/v1/petitions?community=ternopil&status=open&sort=most-signed&limit=100');
    expect(ranked.body.items.filter((p: { id: string }) => p.id === petition.id).map((p: { signatureCount: number }) => p.signatureCount)).toEqual([9]);
  });
});

