import { queryAll, queryPage } from './query.ts';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Answer } from '#shared/domain/consultations/answers.ts';
import { resultsAreFinal, type Consultation } from '#shared/domain/consultations/consultation.ts';
import {
  noReports, recount, reportReasons, type Contribution, type ContributionKind, type Proposal, type ReportReason, type Reports, type Stance,
} from '#shared/domain/consultations/contributions.ts';
import { addResponse, emptyTally, resultsOf, type ConsultationResults } from '#shared/domain/consultations/results.ts';
import { StoreError } from './store-error.ts';
import { keys, padCount } from './keys.ts';

import { tableName } from './table.ts';
import { dailyLimitUpdate } from './daily-limit.ts';
import { writeWithAudit, type AuditEntry } from './audit.ts';
import { keyedHash } from '#shared/secrets/key-ring.ts';
import { loadKeyRing } from '#shared/secrets/load-key-ring.ts';
import { backoff } from '#shared/retry.ts';
import { itemSortKey } from './key-prefixes.ts';

/**
 * Key design of consultations (one item collection per consultation, plus its responses):
 * - the consultation: pk CONSULTATION#<id>, sk CONSULTATION; listed per community on gsi1
 *   (C#<community>#CONSULTATIONS, by opensAt);
 * - its frozen final results: pk CONSULTATION#<id>, sk RESULTS;
 * - a response: pk CONSULTATION#<id>#RESPONSES, sk RESPONDER#<responder key>. The key is the
 *   uniqueness rule (one response per person), and the responder key is a hash of the person, not
 *   the person: see responderKey. One partition per consultation sustains ~1000 responses a second,
 *   far above what a city's consultation sees; if ever needed, shard it as signatures are sharded;
 * - comments and proposals: pk CONSULTATION#<id>, sk COMMENT#<id> / PROPOSAL#<id>; listed on gsi1
 *   (CONSULTATION#<id>#COMMENTS / #PROPOSALS, by creation time); proposals also on gsi2 by support;
 * - a stance on a proposal: pk PROPOSAL#<proposalId>, sk STANCE#<person key>;
 * - a resident's report of a comment or proposal: pk COMMENT#<id> / PROPOSAL#<id>, sk REPORT#<person
 *   key> (the key is the rule: one report per person and contribution). The contribution counts
 *   its reports (reportCount, one `reports#<reason>` counter per reason) and, while reported and
 *   not yet reviewed or while hidden, is listed per community on gsi3, a sparse index entry:
 *   C#<community>#CONTRIBUTIONS#reported by first unreviewed report, #hidden by hiding time.
 */
export const consultationKeys = {
  consultation: (id: string) => ({ pk: `CONSULTATION#${id}`, sk: itemSortKey.consultation }),
  listing: (community: string) => `C#${community}#CONSULTATIONS`,
  frozenResults: (id: string) => ({ pk: `CONSULTATION#${id}`, sk: 'RESULTS' }),
  responses: (id: string) => `CONSULTATION#${id}#RESPONSES`,
  response: (id: string, responder: string) => ({ pk: `CONSULTATION#${id}#RESPONSES`, sk: `RESPONDER#${responder}` }),
  contribution: (kind: ContributionKind, consultationId: string, id: string) => ({ pk: `CONSULTATION#${consultationId}`, sk: `${kind.toUpperCase()}#${id}` }),
  /** The author's own index of what they wrote, for their data export (in their PERSON# partition, like signatures). */
  authored: (sub: string, kind: ContributionKind, consultationId: string, id: string) => ({ pk: keys.person(sub), sk: `CONSULTATION-${kind.toUpperCase()}#${consultationId}#${id}` }),
  contributionListing: (kind: ContributionKind, consultationId: string) => `CONSULTATION#${consultationId}#${kind.toUpperCase()}S`,
  stance: (proposalId: string, person: string) => ({ pk: `PROPOSAL#${proposalId}`, sk: `STANCE#${person}` }),
  contributionReport: (kind: ContributionKind, id: string, person: string) => ({ pk: `${kind.toUpperCase()}#${id}`, sk: `REPORT#${person}` }),
  /** gsi3: a community's contributions awaiting review after a report, or hidden. */
  moderationListing: (community: string, state: 'reported' | 'hidden') => `C#${community}#CONTRIBUTIONS#${state}`,
};

/**
 * A person's pseudonym in one scope (a consultation's responses, a proposal's stances): an HMAC of
 * the scope and the person's `sub` under a key of the deployment's key ring. Responses and stances
 * thus carry no identity, neither in the table nor in its stream, backups or exports, and one
 * person's answers to two consultations cannot be joined; yet the person can read back their own
 * response, since the key is computed from their token. Whoever holds the table and the identity
 * provider's list of subs cannot recompute it without the key.
 *
 * The key is the one that was current when the consultation was created (`personKeyId` on its
 * item), for its whole life, so a rotation of the ring never gives a person a second response or
 * stance; it must stay in the ring until the consultation has closed. Consultations stored before
 * key ids existed use the ring's current key.
 */
const personKeyIds = new Map<string, string>();

async function personKeyIdOf(db: DynamoDBDocumentClient, consultationId: string): Promise<string | undefined> {
  const cached = personKeyIds.get(consultationId);
  if (cached) return cached;
  const { Item } = await db.send(new GetCommand({
    TableName: tableName(), Key: consultationKeys.consultation(consultationId), ProjectionExpression: 'personKeyId', ConsistentRead: true,
  }));
  const keyId = typeof Item?.personKeyId === 'string' ? Item.personKeyId : undefined;
  if (keyId) personKeyIds.set(consultationId, keyId);
  return keyId;
}

async function personKey(db: DynamoDBDocumentClient, consultationId: string, scope: string, sub: string): Promise<string> {
  const ring = await loadKeyRing();
  const keyId = (await personKeyIdOf(db, consultationId)) ?? ring.currentId;
  if (!ring.keys.has(keyId)) {
    throw new StoreError('unavailable', 'unavailable', `The key this consultation's person keys use (${keyId}) is not in the key ring; it must stay until the consultation has closed.`);
  }
  return keyedHash(ring, scope, sub, keyId);
}

export const responderKey = (db: DynamoDBDocumentClient, consultationId: string, sub: string) =>
  personKey(db, consultationId, `consultation-response:${consultationId}`, sub);
const stanceKey = (db: DynamoDBDocumentClient, proposal: { consultationId: string; id: string }, sub: string) =>
  personKey(db, proposal.consultationId, `proposal-stance:${proposal.id}`, sub);
const reporterKey = (db: DynamoDBDocumentClient, c: Contribution, sub: string) =>
  personKey(db, c.consultationId, `contribution-report:${c.kind}:${c.id}`, sub);

const consultationFields = [
  'id', 'community', 'createdBy', 'title', 'draftText', 'documents', 'opensAt', 'closesAt', 'eligibility', 'questions',
  'resultsVisibility', 'createdAt', 'report',
] as const satisfies readonly (keyof Consultation)[];

export function consultationFromItem(item: Record<string, unknown>): Consultation {
  return Object.fromEntries(consultationFields.map((field) => [field, item[field] ?? null])) as unknown as Consultation;
}

async function getConsultation(db: DynamoDBDocumentClient, id: string, consistent = false): Promise<Consultation | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: consultationKeys.consultation(id), ConsistentRead: consistent }));
  return Item ? consultationFromItem(Item) : undefined;
}

/**
 * The consultation, or 404. With `ofCommunity` (council and moderators, who act only within their
 * own community), another community's consultation does not exist as far as the caller can tell.
 */
export async function requireConsultation(
  db: DynamoDBDocumentClient,
  id: string,
  options: { ofCommunity?: string; consistent?: boolean } = {},
): Promise<Consultation> {
  const c = await getConsultation(db, id, options.consistent);
  if (!c || (options.ofCommunity !== undefined && c.community !== options.ofCommunity)) {
    throw new StoreError('not-found', 'not-found', options.ofCommunity === undefined ? 'No such consultation.' : 'No such consultation in your community.');
  }
  return c;
}

export async function createConsultation(db: DynamoDBDocumentClient, c: Consultation, audit: AuditEntry): Promise<void> {
  const { currentId } = await loadKeyRing();
  await writeWithAudit(db, [{
    Put: {
      TableName: tableName(),
      Item: { ...consultationKeys.consultation(c.id), type: 'consultation', ...c, personKeyId: currentId, gsi1pk: consultationKeys.listing(c.community), gsi1sk: `${c.opensAt}#${c.id}` },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }], audit);
}

/** Publishes the report, once: a second council member publishing at the same time gets false. */
export async function saveReport(db: DynamoDBDocumentClient, after: Consultation, audit: AuditEntry): Promise<boolean> {
  return writeWithAudit(db, [{
    Update: {
      TableName: tableName(),
      Key: consultationKeys.consultation(after.id),
      UpdateExpression: 'SET #report = :report',
      ConditionExpression: '#report = :null',
      ExpressionAttributeNames: { '#report': 'report' },
      ExpressionAttributeValues: { ':report': after.report, ':null': null },
    },
  }], audit);
}

export interface StoredResponse {
  readonly consultationId: string;
  readonly answers: readonly Answer[];
  readonly submittedAt: string;
  readonly updatedAt: string;
}

const storedResponse = (item: Record<string, unknown>): StoredResponse => ({
  consultationId: String(item.consultationId),
  answers: item.answers as Answer[],
  submittedAt: String(item.submittedAt),
  updatedAt: String(item.updatedAt),
});

/**
 * Stores a person's response, or replaces it: one item per (consultation, person), so retries and
 * races can never make two. The write is conditional on being newer than what is stored, so a
 * delayed older request cannot overwrite a later change; it then returns the newer response.
 * `ALL_OLD` tells a first response (nothing before) from a change, atomically.
 */
export async function saveResponse(
  db: DynamoDBDocumentClient,
  consultationId: string,
  respondentSub: string,
  answers: readonly Answer[],
  now: Date,
): Promise<{ outcome: 'created' | 'changed' | 'superseded'; response: StoredResponse }> {
  const at = now.toISOString();
  const key = consultationKeys.response(consultationId, await responderKey(db, consultationId, respondentSub));
  try {
    const { Attributes } = await db.send(new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'SET #type = :type, consultationId = :consultationId, answers = :answers, updatedAt = :now, submittedAt = if_not_exists(submittedAt, :now)',
      ConditionExpression: 'attribute_not_exists(pk) OR updatedAt <= :now',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':type': 'consultation-response', ':consultationId': consultationId, ':answers': answers, ':now': at },
      ReturnValues: 'ALL_OLD',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
    const submittedAt = typeof Attributes?.submittedAt === 'string' ? Attributes.submittedAt : at;
    return { outcome: Attributes ? 'changed' : 'created', response: { consultationId, answers, submittedAt, updatedAt: at } };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException && error.Item) return { outcome: 'superseded', response: storedResponse(unmarshall(error.Item)) };
    throw error;
  }
}

export async function getResponse(db: DynamoDBDocumentClient, consultationId: string, respondentSub: string): Promise<StoredResponse | undefined> {
  const { Item } = await db.send(new GetCommand({
    TableName: tableName(),
    Key: consultationKeys.response(consultationId, await responderKey(db, consultationId, respondentSub)),
    ConsistentRead: true,
  }));
  return Item ? storedResponse(Item) : undefined;
}

/**
 * Results, counted by reading every response (1 MB pages, only the answers projected). That costs
 * about one read unit per 8 KB of responses: a few hundred units for 10,000 respondents, which the
 * CDN cache in front of the public route turns into a handful of tallies a minute however many
 * people watch. Once final, the results are frozen into one item (`freeze`), and every later read
 * is a single GetItem that returns the same numbers forever.
 */
export async function consultationResults(
  db: DynamoDBDocumentClient,
  c: Consultation,
  now: Date,
  options: { freeze: boolean },
): Promise<ConsultationResults> {
  const final = resultsAreFinal(c, now);
  if (final) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: consultationKeys.frozenResults(c.id) }));
    if (Item) return Item.results as ConsultationResults;
  }
  const tally = emptyTally(c);
  const responses = await queryAll(db, { partition: consultationKeys.responses(c.id), attributes: ['answers'], consistent: final });
  for (const item of responses) addResponse(tally, item.answers as Answer[]);
  const results = resultsOf(c, tally, { computedAt: now, final });
  if (final && options.freeze) return freezeResults(db, results);
  return results;
}

/** Stores the final results once; whoever froze them first wins, and everyone gets that copy. */
async function freezeResults(db: DynamoDBDocumentClient, results: ConsultationResults): Promise<ConsultationResults> {
  try {
    await db.send(new PutCommand({
      TableName: tableName(),
      Item: { ...consultationKeys.frozenResults(results.consultationId), type: 'consultation-results', results },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
    return results;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException && error.Item) return unmarshall(error.Item).results as ConsultationResults;
    throw error;
  }
}

/**
 * A page of the answers to one open question, for the council. Responses are keyed by a hash, so
 * the order says nothing about who answered or when.
 */
export async function openAnswersPage(db: DynamoDBDocumentClient, consultationId: string, questionId: string, limit: number, cursor: string | undefined) {
  const page = await queryPage(db, { partition: consultationKeys.responses(consultationId), ascending: true, limit, cursor });
  const items = page.items.flatMap((item) => {
    const text = (item.answers as Answer[]).find((a) => a.questionId === questionId)?.text;
    return text === undefined ? [] : [text];
  });
  return { questionId, items, nextCursor: page.nextCursor };
}

const commentFields = ['kind', 'id', 'consultationId', 'community', 'authorSub', 'text', 'status', 'hidden', 'createdAt'] as const satisfies readonly (keyof Contribution)[];
const proposalFields = [...commentFields, 'title', 'supportCount', 'opposeCount', 'councilResponse'] as const satisfies readonly (keyof Proposal)[];

const reasonAttribute = (reason: ReportReason) => `reports#${reason}`;

function reportsFromItem(item: Record<string, unknown>): Reports {
  const reasons = noReports().reasons as Record<ReportReason, number>;
  for (const reason of reportReasons) reasons[reason] = Number(item[reasonAttribute(reason)] ?? 0);
  return {
    count: Number(item.reportCount ?? 0),
    reasons,
    awaitingReviewSince: typeof item.awaitingReviewSince === 'string' ? item.awaitingReviewSince : null,
  };
}

export function contributionFromItem(item: Record<string, unknown>): Contribution {
  const fields = item.kind === 'proposal' ? proposalFields : commentFields;
  return { ...Object.fromEntries(fields.map((field) => [field, item[field] ?? null])), reports: reportsFromItem(item) } as unknown as Contribution;
}

/** The stored attributes of a contribution: its reports are counters of their own (see saveContributionReport). */
function storedContribution(c: Contribution): Record<string, unknown> {
  const { reports, ...rest } = c;
  return { ...rest, reportCount: reports.count };
}

function contributionIndexKeys(c: Contribution): Record<string, string> {
  const listing = consultationKeys.contributionListing(c.kind, c.consultationId);
  return {
    gsi1pk: listing,
    gsi1sk: `${c.createdAt}#${c.id}`,
    ...(c.kind === 'proposal' ? { gsi2pk: listing, gsi2sk: `${padCount(c.supportCount)}#${c.id}` } : {}),
  };
}

/**
 * Creates a comment or proposal and counts it against the author's daily limit in one transaction:
 * both or neither, so a refused contribution leaves nothing behind.
 */
export async function createContribution(db: DynamoDBDocumentClient, c: Contribution, maxPerDay: number): Promise<void> {
  try {
    await db.send(new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: { ...consultationKeys.contribution(c.kind, c.consultationId, c.id), type: `consultation-${c.kind}`, ...storedContribution(c), ...contributionIndexKeys(c) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        dailyLimitUpdate(c.authorSub, `consultation-${c.kind}`, c.createdAt, maxPerDay),
        {
          Put: {
            TableName: tableName(),
            Item: {
              ...consultationKeys.authored(c.authorSub, c.kind, c.consultationId, c.id),
              type: 'consultation-authored', kind: c.kind, consultationId: c.consultationId, contributionId: c.id, createdAt: c.createdAt,
            },
          },
        },
      ],
    }));
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed') {
      throw new StoreError('limit-reached', 'rate-limited', `At most ${maxPerDay} ${c.kind}s a day may be posted by one person.`, { retryAfterSeconds: 3600 });
    }
    throw error;
  }
}

/** A comment or proposal with its consultation, or 404 (`ofCommunity` as in requireConsultation). */
export async function requireContribution<K extends ContributionKind>(
  db: DynamoDBDocumentClient,
  kind: K,
  consultationId: string,
  id: string,
  options: { ofCommunity?: string } = {},
): Promise<{ consultation: Consultation; contribution: Extract<Contribution, { kind: K }> }> {
  const [consultation, { Item }] = await Promise.all([
    requireConsultation(db, consultationId, options),
    db.send(new GetCommand({ TableName: tableName(), Key: consultationKeys.contribution(kind, consultationId, id), ConsistentRead: true })),
  ]);
  if (!Item) throw new StoreError('not-found', 'not-found', `No such ${kind}.`);
  return { consultation, contribution: contributionFromItem(Item) as Extract<Contribution, { kind: K }> };
}

/**
 * Saves a moderation decision, guarded by the status it was decided on (a concurrent decision wins,
 * this one fails). Any decision ends the review of the reports: the contribution leaves the
 * community's reported listing, and a hidden one enters the hidden listing (newest first).
 */
export async function saveModeration(db: DynamoDBDocumentClient, before: Contribution, after: Contribution, audit: AuditEntry): Promise<boolean> {
  const hiddenListing = after.hidden
    ? { ':listing': consultationKeys.moderationListing(after.community, 'hidden'), ':rank': `${after.hidden.hiddenAt}#${after.kind}#${after.id}` }
    : undefined;
  return writeWithAudit(db, [{
    Update: {
      TableName: tableName(),
      Key: consultationKeys.contribution(before.kind, before.consultationId, before.id),
      UpdateExpression: hiddenListing
        ? 'SET #status = :after, #hidden = :hidden, gsi3pk = :listing, gsi3sk = :rank REMOVE awaitingReviewSince'
        : 'SET #status = :after, #hidden = :hidden REMOVE gsi3pk, gsi3sk, awaitingReviewSince',
      ConditionExpression: '#status = :before',
      ExpressionAttributeNames: { '#status': 'status', '#hidden': 'hidden' },
      ExpressionAttributeValues: { ':after': after.status, ':hidden': after.hidden, ':before': before.status, ...hiddenListing },
    },
  }], audit);
}

export interface StoredContributionReport {
  readonly consultationId: string;
  readonly kind: ContributionKind;
  readonly id: string;
  readonly reason: ReportReason;
  readonly reportedAt: string;
}

/**
 * Records one person's report of a visible contribution, once: the report (keyed by the person's
 * pseudonym for this contribution, so a repeat or a race cannot make two) and the contribution's
 * counts and listing entry are one transaction. A repeat returns the report stored first.
 */
export async function saveContributionReport(
  db: DynamoDBDocumentClient,
  c: Contribution,
  reporterSub: string,
  input: { reason: ReportReason; note?: string | undefined },
  now: Date,
): Promise<{ created: boolean; report: StoredContributionReport }> {
  const at = now.toISOString();
  const reportKey = consultationKeys.contributionReport(c.kind, c.id, await reporterKey(db, c, reporterSub));
  const report: StoredContributionReport = { consultationId: c.consultationId, kind: c.kind, id: c.id, reason: input.reason, reportedAt: at };
  try {
    await db.send(new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: { ...reportKey, type: 'contribution-report', ...report, community: c.community, ...(input.note ? { note: input.note } : {}) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: tableName(),
            Key: consultationKeys.contribution(c.kind, c.consultationId, c.id),
            UpdateExpression: 'ADD reportCount :one, #reason :one SET gsi3pk = :listing, gsi3sk = if_not_exists(gsi3sk, :rank), awaitingReviewSince = if_not_exists(awaitingReviewSince, :now)',
            ConditionExpression: 'attribute_exists(pk) AND #status = :published',
            ExpressionAttributeNames: { '#status': 'status', '#reason': reasonAttribute(input.reason) },
            ExpressionAttributeValues: {
              ':one': 1, ':published': 'published', ':now': at,
              ':listing': consultationKeys.moderationListing(c.community, 'reported'), ':rank': `${at}#${c.kind}#${c.id}`,
            },
          },
        },
      ],
    }));
    return { created: true, report };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [reportReason, contributionReason] = error.CancellationReasons ?? [];
    if (reportReason?.Code === 'ConditionalCheckFailed') {
      const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: reportKey, ConsistentRead: true }));
      if (Item) {
        return {
          created: false,
          report: { consultationId: c.consultationId, kind: c.kind, id: c.id, reason: Item.reason as ReportReason, reportedAt: String(Item.reportedAt) },
        };
      }
    }
    if (contributionReason?.Code === 'ConditionalCheckFailed') throw new StoreError('conflict', 'hidden', `The ${c.kind} was hidden by a moderator.`);
    throw error;
  }
}

/**
 * A page of a community's reported contributions awaiting review (oldest report first) or of its
 * hidden ones (most recently hidden first), each with its consultation's title.
 */
export async function moderationListingPage(
  db: DynamoDBDocumentClient,
  community: string,
  state: 'reported' | 'hidden',
  limit: number,
  cursor: string | undefined,
): Promise<{ items: { contribution: Contribution; consultationTitle: string }[]; nextCursor: string | null }> {
  const page = await queryPage(db, { index: 'gsi3', partition: consultationKeys.moderationListing(community, state), ascending: state === 'reported', limit, cursor });
  const contributions = page.items.map(contributionFromItem);
  const ids = [...new Set(contributions.map((c) => c.consultationId))];
  const titles = new Map<string, string>();
  if (ids.length > 0) {
    const { Responses } = await db.send(new BatchGetCommand({
      RequestItems: { [tableName()]: { Keys: ids.map((id) => consultationKeys.consultation(id)), ProjectionExpression: '#id, #title', ExpressionAttributeNames: { '#id': 'id', '#title': 'title' } } },
    }));
    for (const item of Responses?.[tableName()] ?? []) titles.set(String(item.id), String(item.title));
  }
  return { items: contributions.map((contribution) => ({ contribution, consultationTitle: titles.get(contribution.consultationId) ?? '' })), nextCursor: page.nextCursor };
}

/**
 * Records the council's answer to a proposal, unless the report was published meanwhile (the
 * report makes the answers final): the proposal update and the check of the consultation are one
 * transaction.
 */
export async function saveProposalResponse(db: DynamoDBDocumentClient, after: Proposal, audit: AuditEntry): Promise<boolean> {
  return writeWithAudit(db, [
    {
      Update: {
        TableName: tableName(),
        Key: consultationKeys.contribution('proposal', after.consultationId, after.id),
        UpdateExpression: 'SET councilResponse = :response',
        ConditionExpression: '#status = :published',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':response': after.councilResponse, ':published': 'published' },
      },
    },
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: consultationKeys.consultation(after.consultationId),
        ConditionExpression: '#report = :null',
        ExpressionAttributeNames: { '#report': 'report' },
        ExpressionAttributeValues: { ':null': null },
      },
    },
  ], audit);
}

/** Every proposal of a consultation (for the report; their number is bounded by the daily limits). */
export async function allProposals(db: DynamoDBDocumentClient, consultationId: string): Promise<Proposal[]> {
  const items = await queryAll(db, { index: 'gsi1', partition: consultationKeys.contributionListing('proposal', consultationId) });
  return items.map((item) => contributionFromItem(item) as Proposal);
}

/**
 * Optimistic concurrency on the proposal's counts: under n simultaneous stances on one proposal,
 * each round lets one through, so the budget and the jittered exponential backoff are sized for
 * bursts of a few dozen (far above what a proposal sees). Petition-sized bursts would call for
 * counting from the stream instead, as signatures are counted.
 */
const MAX_STANCE_ATTEMPTS = 30;

/**
 * Sets (or, with null, withdraws) a person's stance on a proposal and keeps the proposal's counts
 * equal to the stances stored, exactly once: the stance item and the counts are one transaction,
 * the stance guarded by the stance it replaces and the counts by the counts they were computed
 * from. A concurrent change makes the transaction fail; it is then re-read and retried.
 */
export async function saveStance(
  db: DynamoDBDocumentClient,
  proposal: Proposal,
  personSub: string,
  stance: Stance | null,
): Promise<{ before: Stance | null; proposal: Proposal }> {
  const stanceItemKey = consultationKeys.stance(proposal.id, await stanceKey(db, proposal, personSub));
  const proposalKey = consultationKeys.contribution('proposal', proposal.consultationId, proposal.id);
  for (let attempt = 1; ; attempt++) {
    const { Responses } = await db.send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: [proposalKey, stanceItemKey], ConsistentRead: true } } }));
    const items = Responses?.[tableName()] ?? [];
    const current = contributionFromItem(items.find((i) => i.sk === proposalKey.sk)!) as Proposal;
    if (current.status === 'hidden') throw new StoreError('conflict', 'hidden', 'The proposal was hidden by a moderator.');
    const before = (items.find((i) => i.sk === stanceItemKey.sk)?.stance as Stance | undefined) ?? null;
    if (before === stance) return { before, proposal: current };
    const counts = recount(current, before, stance);
    const stanceGuard = before === null
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'stance = :before', ExpressionAttributeValues: { ':before': before } };
    try {
      await db.send(new TransactWriteCommand({
        TransactItems: [
          stance === null
            ? { Delete: { TableName: tableName(), Key: stanceItemKey, ...stanceGuard } }
            : { Put: { TableName: tableName(), Item: { ...stanceItemKey, type: 'proposal-stance', proposalId: proposal.id, stance }, ...stanceGuard } },
          {
            Update: {
              TableName: tableName(),
              Key: proposalKey,
              UpdateExpression: 'SET supportCount = :support, opposeCount = :oppose, gsi2sk = :rank',
              ConditionExpression: 'supportCount = :supportBefore AND opposeCount = :opposeBefore AND #status = :published',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':support': counts.supportCount, ':oppose': counts.opposeCount, ':rank': `${padCount(counts.supportCount)}#${proposal.id}`,
                ':supportBefore': current.supportCount, ':opposeBefore': current.opposeCount, ':published': 'published',
              },
            },
          },
        ],
      }));
      return { before, proposal: { ...current, ...counts } };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      if (attempt >= MAX_STANCE_ATTEMPTS) throw new StoreError('unavailable', 'unavailable', 'Many people are taking a stance on this proposal right now; try again.');
      await backoff(attempt, 250);
    }
  }
}
