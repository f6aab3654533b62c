import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { table, type TableDefinition } from './table.ts';

/** The CreateTable request for the shared definition (used by the local runtime and tests). */
export function createTableInput(name: string, def: TableDefinition = table): CreateTableCommandInput {
  const keyAttributes = new Set<string>([def.partitionKey, def.sortKey]);
  for (const index of def.indexes) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...keyAttributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: def.partitionKey, KeyType: 'HASH' },
      { AttributeName: def.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: def.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream },
  };
}
