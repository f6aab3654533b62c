import { documentClient } from '#shared/data/client.ts';
import { getPetitionForSigning } from '#shared/data/open-petition-cache.ts';
import { sign } from '#shared/data/petitions.ts';
import { checkCanSign } from '#shared/domain/petitions/petition.ts';
import { follow, getContact } from '#shared/data/notifications.ts';
import { contactForFollowing, languageFromHeader, noEmailDetail } from '#shared/domain/notifications.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';

export const handler = httpHandler('signPetition', async ({ params, principal, body, headers }) => {
  const db = documentClient();
  // Refused before anything is written: no signature without the wish it came with.
  if (body.notify && !principal.email) throw problems.unprocessable('email-required', noEmailDetail);
  const petition = await getPetitionForSigning(db, params.id);
  if (!petition || petition.status === 'draft') throw problems.notFound('No such petition.');
  const now = new Date();
  const refusal = checkCanSign(petition, principal, now);
  if (refusal) throw problemFromRefusal(refusal);
  if (body.notify && principal.email) {
    // Before the signature: the signature that crosses a threshold must find its signer among the
    // followers. A failure here signs nothing; a failure of the signing after it leaves a follow the
    // person asked for, and the retry signs.
    const contact = contactForFollowing(await getContact(db, principal.sub), principal.email, languageFromHeader(headers['accept-language']), now);
    await follow(db, 'petition', petition.id, principal.sub, contact ? { sub: principal.sub, contact } : undefined);
  }
  const { created, signature } = await sign(db, petition, principal, now);
  // The stored count is maintained from the table's stream and may trail a burst by a few seconds.
  const signatureCount = petition.signatureCount + (created ? 1 : 0);
  return {
    status: created ? 201 : 200,
    body: { ...signature, signatureCount },
    headers: { location: `/v1/petitions/${petition.id}/signatures/${signature.id}` },
  };
});
