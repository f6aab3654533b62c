import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '../auth/roles.ts';
import { effectiveStatus } from '../domain/petitions/petition.ts';
import { keys } from './keys.ts';
import { petitionsById } from './petitions.ts';
import { queryPage } from './query.ts';
import { tableName } from './table.ts';

async function personItems(db: DynamoDBDocumentClient, sub: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage(db, { partition: keys.person(sub), ascending: true, limit: 500, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** Everything the platform keeps about a person that can be tied to them: their signatures and petitions. */
export async function exportPersonalData(db: DynamoDBDocumentClient, principal: Principal) {
  const items = await personItems(db, principal.sub);
  const signatures = items.filter((i) => i.type === 'signature');
  const authored = items.filter((i) => i.type === 'authored');
  const petitions = await petitionsById(db, [...new Set([...signatures, ...authored].map((i) => String(i.petitionId)))]);
  return {
    subject: { sub: principal.sub, community: principal.community, roles: principal.roles, birthdate: principal.birthdate ?? null, name: principal.name ?? null },
    signatures: signatures.map((s) => ({
      petitionId: String(s.petitionId),
      petitionTitle: petitions.get(String(s.petitionId))?.title ?? null,
      signedAt: String(s.signedAt),
      publishedName: (s.publicName as string | undefined) ?? null,
    })),
    petitionsCreated: authored.map((a) => {
      const p = petitions.get(String(a.petitionId));
      return { petitionId: String(a.petitionId), title: p?.title ?? null, status: p?.status ?? null, createdAt: String(a.createdAt) };
    }),
    notIncluded: 'Consultation responses are stored under a one-way key per consultation; read each back with GET /v1/consultations/{id}/response.',
  };
}

/**
 * Erasure, as far as the law allows. A signature on a petition still open for signing is kept as
 * it is: the signer list is part of the petition while it collects signatures. On every other
 * petition the published name is removed; the signature itself stays, pseudonymous, so counts
 * and thresholds already reached never change. Petitions a person created stay public records.
 */
export async function erasePersonalData(db: DynamoDBDocumentClient, principal: Principal, now: Date) {
  const items = await personItems(db, principal.sub);
  const signatures = items.filter((i) => i.type === 'signature');
  const petitions = await petitionsById(db, signatures.map((s) => String(s.petitionId)));
  const anonymised: string[] = [];
  const keptWhileOpen: string[] = [];
  for (const signature of signatures) {
    const petition = petitions.get(String(signature.petitionId));
    if (petition && effectiveStatus(petition, now) === 'open') {
      keptWhileOpen.push(petition.id);
      continue;
    }
    if (signature.publicName !== undefined) {
      await db.send(new UpdateCommand({
        TableName: tableName(),
        Key: { pk: signature.pk, sk: signature.sk },
        UpdateExpression: 'REMOVE publicName SET erasedAt = :now',
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }));
    }
    anonymised.push(String(signature.petitionId));
  }
  return { anonymisedSignatures: anonymised, keptWhileOpen, petitionsCreatedKept: items.filter((i) => i.type === 'authored').length };
}
