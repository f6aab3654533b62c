/**
 * The web app's security headers, one definition for both servers: the local one (local/web.ts)
 * and CloudFront's response headers policy (infra/stacks/web-stack.ts). The CSP allows no inline
 * script or style: the app has none (Preact sets styles through the CSSOM).
 */
export const contentSecurityPolicy = (connectSources: readonly string[] = []) =>
  `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${["'self'", ...connectSources].join(' ')}; font-src 'self'; ` +
  "manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** Where the AWS app talks besides its origin: Cognito's discovery document and token endpoint. */
export const cognitoConnectSources = (region: string) => [`https://cognito-idp.${region}.amazonaws.com`, `https://*.auth.${region}.amazoncognito.com`];

export const webSecurityHeaders = {
  'content-security-policy': contentSecurityPolicy(),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
} as const;
