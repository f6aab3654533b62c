import * as oauth from 'oauth4webapi';

/**
 * Sign-in in AWS: Cognito's managed login with the authorization-code flow and PKCE, through
 * oauth4webapi (no hand-written crypto). Loaded only when the app's config says `cognito` (a
 * separate chunk: the local build never downloads it). The deployment writes /config.json beside
 * the app: `{ "auth": "cognito", "issuer": "https://cognito-idp.<region>.amazonaws.com/<pool>",
 * "clientId": "…" }`; the app client allows `<origin>/auth/callback` as its callback URL.
 * The ID token goes to sessionStorage (auth.ts), never to localStorage.
 */
export interface CognitoConfig {
  issuer: string;
  clientId: string;
}

const PENDING_KEY = 'hromada.pkce';
const redirectUri = () => `${location.origin}/auth/callback`;

async function discover(config: CognitoConfig) {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc' }));
}

/** Goes to Cognito's login page; comes back to /auth/callback, then to `next`. */
export async function startSignIn(config: CognitoConfig, next: string): Promise<void> {
  const as = await discover(config);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, nonce, next }));
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid email profile');
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  location.assign(url);
}

/** On /auth/callback: exchanges the code for tokens; the ID token and where to go next. */
export async function completeSignIn(config: CognitoConfig): Promise<{ idToken: string; next: string }> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { verifier: string; state: string; nonce: string; next: string } | null;
  sessionStorage.removeItem(PENDING_KEY);
  if (!pending) throw new Error('No sign-in in progress in this tab.');
  const as = await discover(config);
  const client: oauth.Client = { client_id: config.clientId };
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), pending.verifier);
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  if (!result.id_token) throw new Error('Cognito returned no ID token.');
  return { idToken: result.id_token, next: /^\/(?![/\\])/.test(pending.next) ? pending.next : '/' };
}
