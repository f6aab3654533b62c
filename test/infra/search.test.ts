import { Stack, type CfnResource } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ofType, resourcesOf, synthTestApp, type TestApp } from './support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await synthTestApp({});
});
afterAll(() => t?.cleanup());

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };

function statementsOf(fn: lambda.Function): Statement[] {
  const roleId = Stack.of(fn).getLogicalId(fn.role?.node.defaultChild as CfnResource);
  return Object.values(resourcesOf(t.templateOf(fn)))
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((resource) => JSON.stringify(resource.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((resource) => (resource.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

const envOf = (fn: lambda.Function) => {
  const cfn = fn.node.defaultChild as CfnResource;
  return (resourcesOf(t.templateOf(fn))[Stack.of(cfn).getLogicalId(cfn)]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
};

describe('SearchStack', () => {
  it('has one private, encrypted, TLS-only bucket for the search index', () => {
    const template = t.templateOf(t.stacks.search.bucket);
    const buckets = ofType(template, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(1);
    const [, bucket] = buckets[0]!;
    expect(JSON.stringify(bucket.Properties?.BucketEncryption)).toContain('AES256');
    expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const policies = ofType(template, 'AWS::S3::BucketPolicy');
    expect(JSON.stringify(policies[0]![1].Properties?.PolicyDocument)).toContain('aws:SecureTransport');
  });

  it('lets the indexer get and put, and the search function only get, the index objects, by the bucket policy alone', () => {
    const indexer = t.stacks.alerts.consumers.searchIndexer.function;
    const search = t.stacks.api.routeFunctions.searchCommunity;
    const template = t.templateOf(t.stacks.search.bucket);
    const statements = (ofType(template, 'AWS::S3::BucketPolicy')[0]![1].Properties?.PolicyDocument as { Statement: (Statement & { Principal?: unknown })[] }).Statement;
    const indexerGrant = statements.find((s) => s.Sid === 'IndexerReadWrite')!;
    const searchGrant = statements.find((s) => s.Sid === 'SearchRead')!;
    expect([indexerGrant.Action].flat().sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect([searchGrant.Action].flat()).toEqual(['s3:GetObject']);
    for (const grant of [indexerGrant, searchGrant]) expect(JSON.stringify(grant.Resource)).toContain('/search/*');
    expect(JSON.stringify(indexerGrant.Principal)).toContain('searchIndexer');
    expect(JSON.stringify(searchGrant.Principal)).toContain('searchCommunity');
    for (const fn of [indexer, search]) expect(JSON.stringify(envOf(fn).SEARCH_BUCKET)).toContain('hromada-test-search-');
    // The search function never touches the table; no function's own policy names S3.
    expect(statementsOf(search).flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    for (const fn of [indexer, ...Object.values(t.stacks.api.routeFunctions)]) {
      expect(statementsOf(fn).flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('s3:')), fn.node.path).toEqual([]);
    }
  });

  it('lets the open-data publisher and the dataset functions get and put the open-data snapshots, and nothing else there', () => {
    const template = t.templateOf(t.stacks.search.bucket);
    const statements = (ofType(template, 'AWS::S3::BucketPolicy')[0]![1].Properties?.PolicyDocument as { Statement: (Statement & { Principal?: unknown })[] }).Statement;
    const grant = statements.find((s) => s.Sid === 'OpenDataReadWrite')!;
    expect([grant.Action].flat().sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(JSON.stringify(grant.Resource)).toContain('/open-data/*');
    expect(JSON.stringify(grant.Resource)).not.toContain('/search/');
    const writers = [
      t.stacks.alerts.consumers.openDataPublisher.function,
      ...(['openDataPetitions', 'openDataSignaturesPerDay', 'openDataConsultations', 'openDataCatalogue'] as const).map((n) => t.stacks.api.routeFunctions[n]),
    ];
    for (const fn of writers) expect(JSON.stringify(envOf(fn).OPEN_DATA_BUCKET)).toContain('hromada-test-search-');
    const principals = JSON.stringify(grant.Principal);
    for (const name of ['openDataPublisher', 'openDataPetitions', 'openDataSignaturesPerDay', 'openDataConsultations', 'openDataCatalogue']) expect(principals).toContain(name);
    // Neither the search function nor the indexer is granted the snapshots.
    expect(principals).not.toContain('searchCommunity');
    expect(principals).not.toContain('searchIndexer');
  });
});
