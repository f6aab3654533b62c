import { keys } from './keys.ts';
import { tableName } from './table.ts';

/**
 * The transaction item that counts one more action of a person today and fails (as a
 * ConditionalCheckFailed cancellation) once they reach `max`. Written in the same transaction as
 * the action itself, so a refused action leaves nothing behind. The counter expires after two days.
 */
export function dailyLimitUpdate(sub: string, action: string, at: string, max: number) {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.rateLimit(sub, action, at.slice(0, 10)),
      UpdateExpression: 'ADD #n :one SET expiresAt = if_not_exists(expiresAt, :ttl)',
      ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
      ExpressionAttributeNames: { '#n': 'n' },
      ExpressionAttributeValues: { ':one': 1, ':max': max, ':ttl': Math.floor(Date.parse(at) / 1000) + 2 * 86_400 },
    },
  };
}
