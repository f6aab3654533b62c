import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { keyRingSource, type Environment } from '#shared/config.ts';
import { parseKeyRing, type KeyRing } from './key-ring.ts';

/**
 * The key ring of this deployment, loaded once per container and refreshed every few minutes (so a
 * rotation reaches warm functions without a redeploy).
 * - AWS: the Secrets Manager secret named by `SECRETS_ARN` (Powertools Parameters caches it).
 * - Locally and in tests: the JSON in `HROMADA_SECRETS`, which the local runtime sets.
 */
const REFRESH_SECONDS = 300;
let parsed: { json: string; ring: KeyRing } | undefined;

export async function loadKeyRing(env?: Environment): Promise<KeyRing> {
  const source = keyRingSource(env);
  const json = source.json ?? (await fetchSecret(source.arn));
  if (parsed?.json !== json) parsed = { json, ring: parseKeyRing(json) };
  return parsed.ring;
}

async function fetchSecret(arn: string | undefined): Promise<string> {
  if (!arn) throw new Error('Neither SECRETS_ARN nor HROMADA_SECRETS is set: no key ring to load');
  const json = await getSecret<string>(arn, { maxAge: REFRESH_SECONDS });
  if (typeof json !== 'string') throw new Error('The key ring secret has no string value');
  return json;
}
