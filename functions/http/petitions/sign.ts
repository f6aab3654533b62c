import { documentClient } from '../../../shared/data/client.ts';
import { getPetitionForSigning } from '../../../shared/data/open-petition-cache.ts';
import { sign } from '../../../shared/data/petitions.ts';
import { checkCanSign } from '../../../shared/domain/petitions/petition.ts';
import { follow, getContact } from '../../../shared/data/notifications.ts';
import { contactForFollowing, languageFromHeader, noEmailDetail } from '../../../shared/domain/notifications.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { HttpProblem, problems } from '../../../shared/http/problem.ts';

export const handler = httpHandler('signPetition', async ({ params, principal, body, headers }) => {
  const db = documentClient();
  // Refused before anything is written: no signature without the wish it came with.
  if (body.notify && !principal.email) throw problems.unprocessable('email-required', noEmailDetail);
  const petition = await getPetitionForSigning(db, params.id);
  if (!petition || petition.status === 'draft') throw problems.notFound('No such petition.');
  const now = new Date();
  const refusal = checkCanSign(petition, principal, now);
  if (refusal) throw new HttpProblem(refusal.status, refusal.code, refusal.message);
  const { created, signature } = await sign(db, petition, principal, now);
  if (body.notify && principal.email) {
    // After the signature: a retry of a failed follow signs nothing twice (200, the same signature) and follows.
    const contact = contactForFollowing(await getContact(db, principal.sub), principal.email, languageFromHeader(headers['accept-language']), now);
    await follow(db, 'petition', petition.id, principal.sub, contact ? { sub: principal.sub, contact } : undefined);
  }
  // The stored count is maintained from the table's stream and may trail a burst by a few seconds.
  const signatureCount = petition.signatureCount + (created ? 1 : 0);
  return {
    status: created ? 201 : 200,
    body: { ...signature, signatureCount },
    headers: { location: `/v1/petitions/${petition.id}/signatures/${signature.id}` },
  };
});
