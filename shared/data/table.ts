/**
 * The single DynamoDB table, defined once. The CDK data stack and the local runtime both build
 * the table from this object, so keys, indexes, the stream and TTL cannot drift apart.
 */
export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export interface TableDefinition {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly indexes: readonly IndexDefinition[];
  readonly stream: 'NEW_AND_OLD_IMAGES';
  readonly timeToLiveAttribute: string;
}

export const table = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    // Listings: "open petitions of a community, newest first", a petition's signers (sharded), alerts.
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    // Second ordering of the same collections: "ending soon".
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    // Third ordering: "most signed" (sort key is the zero-padded count).
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
  stream: 'NEW_AND_OLD_IMAGES',
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDefinition;

export type IndexName = (typeof table.indexes)[number]['name'];

/** Table name: `TABLE_NAME` in Lambda (set by CDK) and locally (set by the local runtime); shared/config.ts reads it. */
export { tableName } from '#shared/config.ts';
