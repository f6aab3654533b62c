import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { handler } from '../../functions/custom-resources/communities.ts';
import { seedDemo } from '../../local/seed.ts';
import { ensureTable } from '../../local/table-setup.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { getCommunity, loadCommunityFiles } from '#shared/data/communities.ts';
import { keys } from '#shared/data/keys.ts';
import { ternopil, ukStyle, type CommunityConfig } from '#shared/domain/community.ts';

/**
 * Communities as configuration: the checked-in files, and the deploy-time custom resource handler
 * (the real handler: it answers CloudFormation by PUT to ResponseURL, here a local HTTP server)
 * against DynamoDB Local.
 */
let db: DynamoDBDocumentClient;
let server: Server;
let responseUrl: string;
const responses: Record<string, unknown>[] = [];

beforeAll(async () => {
  // As the local runtime sets them: DynamoDB Local takes any credentials.
  process.env.AWS_REGION ??= 'eu-central-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
  process.env.TABLE_NAME = `communities-${randomUUID().slice(0, 8)}`;
  const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint') });
  await ensureTable(client, process.env.TABLE_NAME);
  client.destroy();
  db = createDocumentClient();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      responses.push({ method: req.method, ...(JSON.parse(body) as Record<string, unknown>) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  responseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/cfn-response`;
});

afterAll(async () => {
  db?.destroy();
  if (server) await new Promise((resolve) => server.close(resolve));
});

const event = (requestType: 'Create' | 'Update' | 'Delete', communities: unknown): CloudFormationCustomResourceEvent =>
  ({
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:eu-central-1:111111111111:function:x',
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:eu-central-1:111111111111:stack/hromada-test-data/1',
    RequestId: randomUUID(),
    LogicalResourceId: 'Communities',
    ResourceType: 'Custom::Communities',
    ResourceProperties: { ServiceToken: 'x', Communities: typeof communities === 'string' ? communities : JSON.stringify(communities) },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'communities-Communities', OldResourceProperties: {} }),
  }) as CloudFormationCustomResourceEvent;

const stored = async (id: string) => (await db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: keys.community(id), ConsistentRead: true }))).Item;

describe('the checked-in community files (infra/communities)', () => {
  it('validate, and Ternopil\'s file is the rule set the code and tests use', () => {
    const files = loadCommunityFiles();
    expect(files.map((c) => c.id)).toEqual(['ternopil', 'uk-style-demo']);
    expect(files[0]).toEqual(ternopil);
    expect(files[1]).toEqual(ukStyle);
    expect(files[0]?.council?.alertRecipients).toEqual(['rada@ternopil.example']);
  });

  it('an invalid file stops with the file and the field named; the file name must be the id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hromada-communities-'));
    try {
      writeFileSync(join(dir, 'lviv.json'), JSON.stringify({ ...ternopil, id: 'lviv', petitions: { ...ternopil.petitions, minSignerAge: -1, thresholds: [] } }));
      writeFileSync(join(dir, 'odesa.json'), JSON.stringify({ ...ternopil, id: 'kherson' }));
      writeFileSync(join(dir, 'rivne.json'), JSON.stringify({ ...ternopil, id: 'rivne', signerNames: true }));
      expect(() => loadCommunityFiles(dir)).toThrow(
        /lviv\.json: petitions\.thresholds: [^\n]*\n[\s\S]*lviv\.json: petitions\.minSignerAge[\s\S]*odesa\.json: id: is "kherson"[\s\S]*rivne\.json: \(file\): Unrecognized key[^\n]*signerNames/,
      );
      expect(() => loadCommunityFiles(dir, ['kyiv'])).toThrow(/No community file for kyiv/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the Custom::Communities handler against DynamoDB Local', () => {
  it('creates, updates, marks a removed community inactive (data kept), is idempotent, keeps data on Delete', async () => {
    // Create: both written, active.
    expect(await handler(event('Create', [ternopil, ukStyle]))).toMatchObject({ Status: 'SUCCESS', Data: { Written: 'ternopil,uk-style-demo', Deactivated: '' } });
    expect(responses.at(-1)).toMatchObject({ method: 'PUT', Status: 'SUCCESS', PhysicalResourceId: 'communities-Communities', LogicalResourceId: 'Communities' });
    expect(await stored('ternopil')).toMatchObject({ active: true, config: ternopil });
    expect(await getCommunity(db, 'uk-style-demo')).toEqual(ukStyle);

    // Re-run with the same files: nothing written.
    expect(await handler(event('Update', [ternopil, ukStyle]))).toMatchObject({ Status: 'SUCCESS', Data: { Written: '', Unchanged: 'ternopil,uk-style-demo', Deactivated: '' } });

    // A rule changes, a community's file is removed.
    const changed: CommunityConfig = { ...ternopil, petitions: { ...ternopil.petitions, thresholds: [{ signatures: 250, purpose: 'council-consideration' }] } };
    expect(await handler(event('Update', [changed]))).toMatchObject({ Status: 'SUCCESS', Data: { Written: 'ternopil', Unchanged: '', Deactivated: 'uk-style-demo' } });
    expect((await stored('ternopil'))?.config).toEqual(changed);
    const removed = await stored('uk-style-demo');
    expect(removed).toMatchObject({ active: false, config: ukStyle });
    expect(removed?.deactivatedAt).toEqual(expect.any(String));
    await expect(getCommunity(db, 'uk-style-demo')).rejects.toMatchObject({ name: 'StoreError', kind: 'not-allowed', code: 'inactive-community' });
    expect(await getCommunity(db, 'uk-style-demo', { includeInactive: true })).toEqual(ukStyle);

    // Idempotent re-run: nothing written, nothing deactivated again.
    expect(await handler(event('Update', [changed]))).toMatchObject({ Data: { Written: '', Unchanged: 'ternopil', Deactivated: '' } });
    expect((await stored('uk-style-demo'))?.deactivatedAt).toBe(removed?.deactivatedAt);

    // The file comes back: active again.
    expect(await handler(event('Update', [changed, ukStyle]))).toMatchObject({ Data: { Written: 'uk-style-demo', Unchanged: 'ternopil' } });
    expect(await stored('uk-style-demo')).toMatchObject({ active: true });

    // Delete (stack or resource removed): SUCCESS, nothing touched.
    expect(await handler(event('Delete', [changed]))).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'communities-Communities' });
    expect(await stored('ternopil')).toMatchObject({ active: true, config: changed });
    expect(await stored('uk-style-demo')).toMatchObject({ active: true });
  });

  it('answers FAILED (never hangs the stack) and writes nothing for an invalid configuration', async () => {
    const broken = { ...ternopil, id: 'broken-city', petitions: { ...ternopil.petitions, signingDays: 'thirty' } };
    const response = await handler(event('Update', [{ ...ternopil, id: 'fine-city' }, broken]));
    expect(response).toMatchObject({ Status: 'FAILED' });
    expect(String(response.Reason)).toMatch(/Community #1: petitions\.signingDays/);
    expect(responses.at(-1)).toMatchObject({ Status: 'FAILED' });
    expect(await stored('fine-city')).toBeUndefined();
    expect(await handler(event('Update', 'not json'))).toMatchObject({ Status: 'FAILED' });
  });
});

describe('the local seed', () => {
  it('writes the same files the deployment writes (Ternopil\'s council alert recipient included)', async () => {
    process.env.TABLE_NAME = `seed-${randomUUID().slice(0, 8)}`;
    const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint') });
    await ensureTable(client, process.env.TABLE_NAME);
    client.destroy();
    await seedDemo();
    expect(await stored('ternopil')).toMatchObject({ active: true, config: { ...ternopil, council: { alertRecipients: ['rada@ternopil.example'] } } });
    expect(await stored('uk-style-demo')).toMatchObject({ active: true, config: ukStyle });
  });
});
