import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/data/client.ts';
import { keys } from '#shared/data/keys.ts';
import { tableName } from '#shared/data/table.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problems } from '#shared/http/problem.ts';

/** The caller's own signature of a petition: one strongly consistent read of the (signer, petition) key. */
export const handler = httpHandler('mySignature', async ({ params, principal }) => {
  const { Item } = await documentClient().send(new GetCommand({
    TableName: tableName(),
    Key: keys.signature(principal.sub, params.id),
    ProjectionExpression: 'id, petitionId, signedAt',
    ConsistentRead: true,
  }));
  if (!Item) throw problems.notFound('You have not signed this petition.');
  return { status: 200, body: { id: Item.id as string, petitionId: Item.petitionId as string, signedAt: Item.signedAt as string } };
});
