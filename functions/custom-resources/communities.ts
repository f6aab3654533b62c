import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#shared/data/client.ts';
import { applyCommunities } from '#shared/data/communities.ts';

/**
 * CloudFormation custom resource `Custom::Communities` (infra/constructs/communities.ts): on Create
 * and Update, writes the checked-in community configurations (property `Communities`, a JSON array:
 * CloudFormation would turn numbers and booleans into strings) to the table with
 * applyCommunities: idempotent, a removed community is marked inactive, never deleted. On Delete
 * (the stack or the resource goes) nothing is touched: the data stays.
 *
 * It answers CloudFormation itself (an HTTPS PUT of the response to the pre-signed `ResponseURL`),
 * always, also when it fails: a custom resource that never answers blocks the stack for an hour.
 */
export async function onEvent(event: CloudFormationCustomResourceEvent, db: DynamoDBDocumentClient): Promise<CloudFormationCustomResourceResponse> {
  const physicalResourceId = event.RequestType === 'Create' ? `communities-${event.LogicalResourceId}` : event.PhysicalResourceId;
  const base = { PhysicalResourceId: physicalResourceId, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  if (event.RequestType === 'Delete') return { ...base, Status: 'SUCCESS', Reason: 'Community data is kept when the resource goes.' };
  try {
    const raw = event.ResourceProperties.Communities as unknown;
    const communities: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
    if (!Array.isArray(communities)) throw new Error('Communities must be a JSON array');
    const result = await applyCommunities(db, communities);
    return {
      ...base,
      Status: 'SUCCESS',
      Reason: `written: ${result.written.join(',') || '-'}; unchanged: ${result.unchanged.join(',') || '-'}; deactivated: ${result.deactivated.join(',') || '-'}`.slice(0, 1000),
      Data: { Written: result.written.join(','), Unchanged: result.unchanged.join(','), Deactivated: result.deactivated.join(',') },
    };
  } catch (error) {
    return { ...base, Status: 'FAILED', Reason: `Communities not applied: ${(error as Error).message}`.slice(0, 1000) };
  }
}

export const handler = async (event: CloudFormationCustomResourceEvent): Promise<CloudFormationCustomResourceResponse> => {
  const response = await onEvent(event, documentClient());
  console.log(JSON.stringify({ level: response.Status === 'SUCCESS' ? 'INFO' : 'ERROR', message: 'communities', requestType: event.RequestType, reason: response.Reason }));
  const body = JSON.stringify(response);
  // The pre-signed S3 URL refuses a Content-Type it was not signed with: send none.
  const answer = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!answer.ok) throw new Error(`CloudFormation did not take the response: HTTP ${answer.status}`);
  return response;
};
