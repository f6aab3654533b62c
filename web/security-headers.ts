/**
 * The web app's security headers, one definition for both servers: the local one (local/web.ts)
 * and CloudFront's response headers policy (infra/stacks/web-stack.ts). The CSP allows no inline
 * style and no inline script but the ones the build names by hash (`WebBuild.scriptHashes`: the
 * boot script in index.html); Preact sets styles through the CSSOM.
 */
export const contentSecurityPolicy = (options: { connectSources?: readonly string[]; scriptHashes: readonly string[] }) =>
  `default-src 'self'; script-src ${["'self'", ...options.scriptHashes].join(' ')}; style-src 'self'; img-src 'self' data:; ` +
  `connect-src ${["'self'", ...(options.connectSources ?? [])].join(' ')}; font-src 'self'; ` +
  "manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** Where the AWS app talks besides its origin: Cognito's discovery document and token endpoint. */
export const cognitoConnectSources = (region: string) => [`https://cognito-idp.${region}.amazonaws.com`, `https://*.auth.${region}.amazoncognito.com`];

export const permissionsPolicy = 'camera=(), microphone=(), geolocation=()';

/** The headers of every answer of the local web server (`scriptHashes`: those of the build it serves). */
export const webSecurityHeaders = (scriptHashes: readonly string[]) => ({
  'content-security-policy': contentSecurityPolicy({ scriptHashes }),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': permissionsPolicy,
});
