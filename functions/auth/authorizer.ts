import { createRemoteJWKSet } from 'jose';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { authSettings } from '#shared/config.ts';
import { toAuthorizerContext } from '#shared/auth/claims.ts';
import { AUTHORIZER_FAILURE_EVENT, createTokenVerifier, notResident } from '#shared/auth/verify-token.ts';

/**
 * REST API TOKEN authorizer. Verifies the bearer JWT against the configured issuer (the Cognito
 * pool, or a city's own OIDC provider) and hands the verified claims to the handler as context.
 * Which role a route needs is checked by the handler from the route table.
 */
const { issuer, audience, jwksUrl } = authSettings();
const verify = createTokenVerifier({
  issuer,
  ...(audience ? { audience } : {}),
  keys: createRemoteJWKSet(jwksUrl),
});

export const handler = async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  let check: Awaited<ReturnType<typeof verify>>;
  try {
    check = await verify(event.authorizationToken);
  } catch (error) {
    console.error(JSON.stringify({
      level: 'ERROR',
      event: AUTHORIZER_FAILURE_EVENT,
      error: (error as Error).name,
      message: (error as Error).message,
    }));
    throw error; // API Gateway answers 500 (AUTHORIZER_FAILURE): the caller is not told "log in again"
  }
  // The result is cached per token for all methods of the API, so allow (or deny) the whole stage.
  const [arnPrefix, stage] = event.methodArn.split('/');
  if (!check.ok && check.reason === notResident) {
    // A valid sign-in of someone no served community claims: 403 (ACCESS_DENIED gateway response,
    // whose problem carries `refusal`), not 401: signing in again would not help.
    return {
      principalId: 'not-resident',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${arnPrefix}/${stage}/*` }] },
      context: { refusal: 'not-a-resident' },
    };
  }
  // API Gateway turns this exact message into a 401 (UNAUTHORIZED gateway response).
  if (!check.ok) throw new Error('Unauthorized');
  return {
    principalId: check.principal.sub,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arnPrefix}/${stage}/*` }],
    },
    context: toAuthorizerContext(check.principal),
  };
};
