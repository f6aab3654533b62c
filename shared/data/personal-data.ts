import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '#shared/auth/roles.ts';
import { effectiveStatus } from '#shared/domain/petitions/petition.ts';
import { budgetKeys, projectFromItem } from './budgets.ts';
import { consultationKeys, contributionFromItem } from './consultations.ts';
import { keys } from './keys.ts';
import { notifyKeys } from './notifications.ts';
import { petitionsById } from './petitions.ts';
import type { FollowableType } from '#shared/domain/notifications.ts';
import { itemsByKey, keyOf, queryAll, type ItemKey } from './query.ts';
import { tableName } from './table.ts';

/**
 * A person's data is found from their own partition, PERSON#<sub>: what they signed (petition
 * signatures), wrote (petitions, budget projects, consultation comments and proposals) and
 * supported (budget pre-supports), each an index item pointing at the record.
 *
 * Never there, by design, and never exported or linked: how they voted. A budget ballot carries
 * no person, and the voter marker is a keyed hash that says only "has voted" (see
 * domain/budget-process/secrecy.ts); a consultation response is stored under a keyed one-way key
 * per consultation, read back only by its author (GET /v1/consultations/{id}/response).
 */
async function personItems(db: DynamoDBDocumentClient, sub: string): Promise<Record<string, unknown>[]> {
  return queryAll(db, { partition: keys.person(sub) });
}

const at = (map: Map<string, Record<string, unknown>>, key: ItemKey) => map.get(keyOf(key));
const ofType = (items: Record<string, unknown>[], type: string) => items.filter((i) => i.type === type);

/** Everything the platform keeps about a person that can be tied to them (never a ballot). */
export async function exportPersonalData(db: DynamoDBDocumentClient, principal: Principal) {
  const items = await personItems(db, principal.sub);
  const signatures = ofType(items, 'signature');
  const authored = ofType(items, 'authored');
  const projectsAuthored = ofType(items, 'budget-authored');
  const supports = ofType(items, 'budget-support');
  const contributions = ofType(items, 'consultation-authored');

  const projectKey = (i: Record<string, unknown>) => budgetKeys.project(String(i.budgetId), String(i.projectId));
  const contributionKey = (i: Record<string, unknown>) =>
    consultationKeys.contribution(i.kind === 'proposal' ? 'proposal' : 'comment', String(i.consultationId), String(i.contributionId));
  const [petitions, records] = await Promise.all([
    petitionsById(db, [...new Set([...signatures, ...authored].map((i) => String(i.petitionId)))]),
    itemsByKey(db, [...projectsAuthored.map(projectKey), ...supports.map(projectKey), ...contributions.map(contributionKey)]),
  ]);
  const project = (i: Record<string, unknown>) => {
    const item = at(records, projectKey(i));
    return item ? projectFromItem(item) : undefined;
  };

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
      return { petitionId: String(a.petitionId), title: p?.title ?? null, text: p?.text ?? null, status: p?.status ?? null, createdAt: String(a.createdAt) };
    }),
    budgetProjects: projectsAuthored.map((a) => {
      const p = project(a);
      return {
        budgetId: String(a.budgetId), projectId: String(a.projectId), title: p?.title ?? null, description: p?.description ?? null,
        cost: p?.cost ?? null, category: p?.category ?? null, submittedAt: p?.submittedAt ?? String(a.createdAt), review: p?.review ?? null,
      };
    }),
    budgetPreSupports: supports.map((s) => ({
      budgetId: String(s.budgetId), projectId: String(s.projectId), projectTitle: project(s)?.title ?? null, supportedAt: String(s.supportedAt),
    })),
    consultationComments: contributions.filter((c) => c.kind === 'comment').map((c) => contributionView(c, at(records, contributionKey(c)))),
    consultationProposals: contributions.filter((c) => c.kind === 'proposal').map((c) => contributionView(c, at(records, contributionKey(c)))),
    notifications: notificationsOf(items),
    following: ofType(items, 'notify-watch-mirror').map((w) => w.subject as { type: string; id: string }),
    notIncluded:
      'Ballots and how you voted: a ballot is stored without any link to a person, so it can never be exported. ' +
      'Consultation responses are stored under a one-way key per consultation; read each back with GET /v1/consultations/{id}/response.',
  };
}

/** The contact kept for notifications (e-mail, language, kinds), or null. */
function notificationsOf(items: Record<string, unknown>[]) {
  const contact = ofType(items, 'notify-contact')[0];
  return contact ? { email: String(contact.email), language: String(contact.language), kinds: contact.kinds as string[], updatedAt: String(contact.updatedAt) } : null;
}

function contributionView(index: Record<string, unknown>, item: Record<string, unknown> | undefined) {
  const c = item ? contributionFromItem(item) : undefined;
  return {
    consultationId: String(index.consultationId),
    id: String(index.contributionId),
    ...(index.kind === 'proposal' ? { title: (c as { title?: string } | undefined)?.title ?? null } : {}),
    text: c?.text ?? null,
    status: c?.status ?? null,
    createdAt: String(index.createdAt),
  };
}

/**
 * Erasure, as far as the law allows. A signature on a petition still open for signing is kept as
 * it is: the signer list is part of the petition while it collects signatures. On every other
 * petition the published name is removed; the signature itself stays, pseudonymous, so counts
 * and thresholds already reached never change. A draft petition never submitted (seen by nobody
 * else) is deleted with its index entry. Petitions once submitted, budget projects, comments and
 * proposals are part of public procedures and stay, without the author's identity ever shown.
 */
export async function erasePersonalData(db: DynamoDBDocumentClient, principal: Principal, now: Date) {
  const items = await personItems(db, principal.sub);
  const signatures = ofType(items, 'signature');
  const authored = ofType(items, 'authored');
  const petitions = await petitionsById(db, [...signatures, ...authored].map((s) => String(s.petitionId)));
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
  const draftsDeleted: string[] = [];
  for (const a of authored) {
    const petition = petitions.get(String(a.petitionId));
    if (petition?.status !== 'draft' || petition.authorSub !== principal.sub) continue;
    if (await deleteDraft(db, petition.id, principal.sub)) draftsDeleted.push(petition.id);
  }
  // Notifications: the address and every wish to hear go (a follow is no public record).
  const follows = ofType(items, 'notify-watch-mirror');
  for (const mirror of follows) {
    const subject = mirror.subject as { type: FollowableType; id: string };
    await db.send(new TransactWriteCommand({
      TransactItems: [
        { Delete: { TableName: tableName(), Key: notifyKeys.watch(subject.type, subject.id, principal.sub) } },
        { Delete: { TableName: tableName(), Key: notifyKeys.watchMirror(subject.type, subject.id, principal.sub) } },
      ],
    }));
  }
  const hadContact = ofType(items, 'notify-contact').length > 0;
  if (hadContact) await db.send(new DeleteCommand({ TableName: tableName(), Key: notifyKeys.contact(principal.sub) }));
  return {
    anonymisedSignatures: anonymised,
    notificationAddressRemoved: hadContact,
    followsRemoved: follows.length,
    keptWhileOpen,
    draftsDeleted,
    petitionsCreatedKept: authored.length - draftsDeleted.length,
    budgetProjectsKept: ofType(items, 'budget-authored').length,
    consultationContributionsKept: ofType(items, 'consultation-authored').length,
  };
}

/** The draft and its index entry, both or neither; false when it was submitted meanwhile. */
async function deleteDraft(db: DynamoDBDocumentClient, petitionId: string, sub: string): Promise<boolean> {
  try {
    await db.send(new TransactWriteCommand({
      TransactItems: [
        {
          Delete: {
            TableName: tableName(),
            Key: keys.petition(petitionId),
            ConditionExpression: '#status = :draft AND authorSub = :sub',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':draft': 'draft', ':sub': sub },
          },
        },
        { Delete: { TableName: tableName(), Key: keys.authored(sub, petitionId) } },
      ],
    }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}
