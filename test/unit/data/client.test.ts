import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { currentDocumentClient, documentClient } from '#shared/data/client.ts';

/**
 * The bench runs several local systems in one process, one DynamoDB Local each: a client made for
 * the first endpoint must not serve the next system (what a consumer built at import used to do).
 */
const original = process.env.DYNAMODB_ENDPOINT;
// What the local runtime sets for every function (DynamoDB Local takes any credentials).
process.env.AWS_REGION ??= 'eu-central-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
afterEach(() => {
  if (original === undefined) delete process.env.DYNAMODB_ENDPOINT;
  else process.env.DYNAMODB_ENDPOINT = original;
});

// A second "DynamoDB" that answers every GetItem with an item of its own, and counts the calls.
let other: Server;
let otherEndpoint = '';
let otherCalls = 0;
beforeAll(async () => {
  other = createServer((req, res) => {
    otherCalls++;
    req.resume().on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ Item: { pk: { S: 'only-on-the-other-endpoint' } } }));
    });
  });
  await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
  otherEndpoint = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((done) => other.close(() => done()));
});

describe('the DynamoDB client of the environment', () => {
  it('is one client per endpoint, read on every call', () => {
    process.env.DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
    const first = documentClient();
    expect(documentClient()).toBe(first);
    process.env.DYNAMODB_ENDPOINT = otherEndpoint;
    const second = documentClient();
    expect(second).not.toBe(first);
    process.env.DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
    expect(documentClient()).toBe(first);
  });

  it('a client taken once (at import) sends each request to the endpoint of that moment', async () => {
    const db = currentDocumentClient;
    process.env.DYNAMODB_ENDPOINT = otherEndpoint;
    const before = otherCalls;
    const get = new GetCommand({ TableName: 'no-such-table', Key: { pk: 'x', sk: 'y' } });
    expect((await db.send(get)).Item).toEqual({ pk: 'only-on-the-other-endpoint' });
    expect(otherCalls).toBe(before + 1);

    // The real DynamoDB Local: it has no such table, and says so.
    process.env.DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
    await expect(db.send(get)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(otherCalls).toBe(before + 1);
  });
});
