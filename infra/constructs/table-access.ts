import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { table as tableDefinition } from '#shared/data/table.ts';
import type { TableAccess } from '#shared/http/route.ts';

/**
 * Data-plane reads: the set of TableV2.grantReadData minus the stream actions and minus
 * `dynamodb:Scan`: no function scans (every read is a key or an index query; test/infra checks
 * that no Lambda source uses ScanCommand).
 */
export const tableReadActions = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:Query',
] as const;

/** Data-plane writes: the same set as TableV2.grantWriteData. */
export const tableWriteActions = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;

/**
 * KMS use of the table's customer-managed key, as TableV2's grants give it, with the wildcards
 * (`kms:ReEncrypt*`, `kms:GenerateDataKey*`) spelled out and the asymmetric data-key-pair actions
 * (never used by DynamoDB) left out.
 */
export const keyReadActions = ['kms:Decrypt', 'kms:DescribeKey'] as const;
export const keyWriteActions = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'] as const;

/** The `kms:ViaService` value for use of the table's key through DynamoDB in the grantee's region. */
export function tableKeyViaService(grantee: iam.IGrantable): string {
  const principal = grantee.grantPrincipal;
  if (!Construct.isConstruct(principal)) throw new Error('grantTableAccess needs a principal defined in this app (a role)');
  return `dynamodb.${Stack.of(principal).region}.amazonaws.com`;
}

/**
 * Grants a function what its `table` access (from the route table or the stream-consumer table)
 * implies, and nothing else: `read` = the read actions, `readwrite` = read and write actions, on the
 * table and on each of its indexes by name (no `index/*` wildcard), plus use of the table's key.
 * Equivalent to TableV2.grantReadData / grantReadWriteData, with explicit resources.
 */
export function grantTableAccess(grantee: iam.IGrantable, table: dynamodb.ITableV2, access: TableAccess): void {
  if (access === 'none') return;
  const write = access === 'readwrite';
  const resources = [table.tableArn, ...tableDefinition.indexes.map((index) => `${table.tableArn}/index/${index.name}`)];
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: write ? 'TableReadWrite' : 'TableRead',
      actions: [...tableReadActions, ...(write ? tableWriteActions : [])],
      resources,
    }),
  );
  if (table.encryptionKey) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: write ? 'TableKeyReadWrite' : 'TableKeyRead',
        actions: [...keyReadActions, ...(write ? keyWriteActions : [])],
        resources: [table.encryptionKey.keyArn],
        // Only through DynamoDB: the key serves the table, never direct use by the function.
        conditions: { StringEquals: { 'kms:ViaService': tableKeyViaService(grantee) } },
      }),
    );
  }
}
