import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand, BatchWriteCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Principal } from '#shared/auth/roles.ts';
import type { BudgetProcess } from '#shared/domain/budget-process/process.ts';
import type { BudgetProject } from '#shared/domain/budget-process/project.ts';
import type { BudgetResults, StoredBallot, VotingMethod } from '#shared/domain/budget-process/results.ts';
import { BALLOT_SHARDS, shardOf, voterKey } from '#shared/domain/budget-process/secrecy.ts';
import type { KeyRing } from '#shared/secrets/key-ring.ts';
import { StoreError } from './store-error.ts';
import { auditPut, writeWithAudit, type AuditEntry } from './audit.ts';
import { decodeCursor, encodeCursor, invalidCursor, isKey } from './cursor.ts';
import { keys } from './keys.ts';
import { queryPage } from './query.ts';
import { tableName } from './table.ts';
import { dailyLimitUpdate } from './daily-limit.ts';
import { backoff as jitteredBackoff } from '#shared/retry.ts';
import { keyPrefix } from './key-prefixes.ts';

/**
 * Key design of participatory budgets:
 * - the process: pk BUDGET#<id>, sk BUDGET; listed per community on gsi1 (C#<community>#BUDGETS,
 *   by voting start); its published results: sk RESULTS; its projects: sk PROJECT#<projectId>
 *   (a few hundred at most: one item collection, read whole);
 * - a pre-support: pk PERSON#<sub>, sk BUDGET-SUPPORT#<budget>#<project> (the key is the
 *   one-support rule; in the person's partition, like a petition signature, for their data export);
 *   a submitted project's author index: pk PERSON#<sub>, sk BUDGET-PROJECT#<budget>#<project>;
 * - the secret ballot (see domain/budget-process/secrecy.ts), two unlinked items written by one
 *   transaction, each spread over 16 partitions by a hash so that a busy vote has no hot key:
 *   - voter marker: pk BUDGET#<id>#VOTERS#<shard>, sk VOTER#<HMAC(process, national id)> (under the
 *     process's key of the key ring), with the day; written online with the ballot, or at the
 *     services centre when a paper voter is recorded (their paper ballot is entered later, alone);
 *   - ballot: pk BUDGET#<id>#BALLOTS#<shard of receipt>, sk BALLOT#<receipt>#<ballotId>, with the
 *     choices and the voting method only. The key is a function of the ballot id alone (the
 *     receipt is its hash), so a retry finds its own ballot, and a receipt is found with one
 *     Query (begins_with) without an index. Imported ballots: sk BALLOT#<voter_id>#import.
 * - a school code: pk BUDGET#<id>#CODES, sk CODE#<sha256(code)>, with the issue day and, once
 *   used, the day of use (no link to the ballot it cast).
 */
const pad = (shard: number) => String(shard).padStart(2, '0');

export const budgetKeys = {
  budget: (id: string) => keys.budget(id),
  listing: (community: string) => `C#${community}#BUDGETS`,
  results: (id: string) => keys.budgetResults(id),
  project: (budgetId: string, projectId: string) => ({ pk: `${keyPrefix.budget}${budgetId}`, sk: `${keyPrefix.project}${projectId}` }),
  support: (sub: string, budgetId: string, projectId: string) => ({ pk: keys.person(sub), sk: `BUDGET-SUPPORT#${budgetId}#${projectId}` }),
  authored: (sub: string, budgetId: string, projectId: string) => ({ pk: keys.person(sub), sk: `BUDGET-PROJECT#${budgetId}#${projectId}` }),
  voterShard: (budgetId: string, shard: number) => `BUDGET#${budgetId}#VOTERS#${pad(shard)}`,
  voter: (budgetId: string, voterKey: string) => ({ pk: budgetKeys.voterShard(budgetId, shardOf(voterKey)), sk: `VOTER#${voterKey}` }),
  ballotShard: (budgetId: string, shard: number) => `BUDGET#${budgetId}#BALLOTS#${pad(shard)}`,
  ballot: (budgetId: string, receipt: string, ballotId: string) => ({
    pk: budgetKeys.ballotShard(budgetId, shardOf(receipt)),
    sk: `BALLOT#${receipt}#${ballotId.toLowerCase()}`,
  }),
  importedBallot: (budgetId: string, voterId: string) => ({ pk: budgetKeys.ballotShard(budgetId, shardOf(voterId)), sk: `BALLOT#${voterId}#import` }),
  codes: (budgetId: string) => `BUDGET#${budgetId}#CODES`,
  code: (budgetId: string, hash: string) => ({ pk: budgetKeys.codes(budgetId), sk: `CODE#${hash}` }),
};

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

const backoff = (attempt: number) => jitteredBackoff(attempt, 200);

const cancellationCodes = (error: unknown): (string | undefined)[] | undefined =>
  error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((r) => r.Code) : undefined;

// ------------------------------------------------------------------------------------------------
// Processes

const budgetFields = [
  'id', 'community', 'kind', 'schoolId', 'title', 'description', 'money', 'schedule', 'eligibility', 'preSupport', 'ballotRules', 'rule',
  'createdAt', 'createdBy', 'origin', 'countingStartedAt', 'resultsPublishedAt', 'projectCount', 'markerKeyId', 'students', 'codesIssued',
] as const satisfies readonly (keyof BudgetProcess)[];

export function budgetFromItem(item: Record<string, unknown>): BudgetProcess {
  const process = Object.fromEntries(budgetFields.map((field) => [field, item[field] ?? null])) as unknown as BudgetProcess;
  // Processes stored before these fields existed.
  return { ...process, schedule: { ...process.schedule, paperCountEnds: process.schedule.paperCountEnds ?? null }, codesIssued: process.codesIssued ?? 0 };
}

/**
 * The key of a person's voter marker in a process: the HMAC under the key the process recorded at
 * creation. That key must stay in the ring until the process has ended (README: rotation); if it
 * was removed too early, no ballot can be checked, so none is taken (unavailable, never a second vote).
 */
export function voterKeyOf(ring: KeyRing, budget: BudgetProcess, nationalId: string): string {
  const keyId = budget.markerKeyId ?? ring.currentId;
  if (!ring.keys.has(keyId)) {
    throw new StoreError('unavailable', 'unavailable', `The key this budget's voter markers use (${keyId}) is not in the key ring; it must stay until the budget has ended.`);
  }
  return voterKey(ring, keyId, budget.id, nationalId);
}

const budgetItem = (p: BudgetProcess) => ({
  ...budgetKeys.budget(p.id), type: 'budget', ...p, gsi1pk: budgetKeys.listing(p.community), gsi1sk: `${p.schedule.voting}#${p.id}`,
});

export async function getBudget(db: DynamoDBDocumentClient, id: string, consistent = false): Promise<BudgetProcess | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: budgetKeys.budget(id), ConsistentRead: consistent }));
  return Item ? budgetFromItem(Item) : undefined;
}

/**
 * The process, or not-found. With `ofCommunity` (staff act only within their own community), another
 * community's process does not exist as far as the caller can tell. An import still being written
 * is not served (a conflict) except to its own import route.
 */
export async function requireBudget(
  db: DynamoDBDocumentClient,
  id: string,
  options: { ofCommunity?: string; consistent?: boolean } = {},
): Promise<BudgetProcess> {
  const budget = await getBudget(db, id, options.consistent);
  if (!budget || (options.ofCommunity !== undefined && budget.community !== options.ofCommunity)) {
    throw new StoreError('not-found', 'not-found', options.ofCommunity === undefined ? 'No such budget.' : 'No such budget in your community.');
  }
  if (budget.origin && !budget.origin.complete) {
    throw new StoreError('conflict', 'import-incomplete', 'This budget is still being imported; send the same file again to finish the import.');
  }
  return budget;
}

export async function createBudget(db: DynamoDBDocumentClient, budget: BudgetProcess, audit: AuditEntry): Promise<void> {
  await writeWithAudit(db, [{ Put: { TableName: tableName(), Item: budgetItem(budget), ConditionExpression: 'attribute_not_exists(pk)' } }], audit);
}

export async function listBudgets(db: DynamoDBDocumentClient, community: string, limit: number, cursor: string | undefined) {
  const page = await queryPage(db, { index: 'gsi1', partition: budgetKeys.listing(community), ascending: false, limit, cursor });
  return { items: page.items.map(budgetFromItem), nextCursor: page.nextCursor };
}

// ------------------------------------------------------------------------------------------------
// Projects

const projectFields = [
  'budgetId', 'id', 'ord', 'community', 'authorSub', 'title', 'description', 'cost', 'category', 'submittedAt', 'supportCount', 'review',
  'implementation', 'pabulibColumns',
] as const satisfies readonly (keyof BudgetProject)[];

export function projectFromItem(item: Record<string, unknown>): BudgetProject {
  return Object.fromEntries(projectFields.map((field) => [field, item[field] ?? null])) as unknown as BudgetProject;
}

const projectItem = (p: BudgetProject) => ({ ...budgetKeys.project(p.budgetId, p.id), type: 'budget-project', ...p });

export async function requireProject(db: DynamoDBDocumentClient, budgetId: string, projectId: string, consistent = false): Promise<BudgetProject> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: budgetKeys.project(budgetId, projectId), ConsistentRead: consistent }));
  if (!Item) throw new StoreError('not-found', 'not-found', 'No such project in this budget.');
  return projectFromItem(Item);
}

/** Every project of a process, in the official list order. */
export async function allProjects(db: DynamoDBDocumentClient, budgetId: string, consistent = false): Promise<BudgetProject[]> {
  const projects: BudgetProject[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': budgetKeys.budget(budgetId).pk, ':prefix': keyPrefix.project },
      ConsistentRead: consistent,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    projects.push(...(page.Items ?? []).map(projectFromItem));
    start = page.LastEvaluatedKey;
  } while (start);
  return projects.sort((a, b) => a.ord - b.ord);
}

/**
 * The projects on the ballot, for checking ballots: read once per container and kept while voting
 * lasts, since reviews are refused once voting opens and the ballot no longer changes. Without
 * this, every ballot would read the whole project collection of one partition (a hot key).
 */
const ballotCache = new Map<string, { projects: BudgetProject[]; until: number }>();
const BALLOT_CACHE_MS = 60_000;

export async function projectsOnBallot(db: DynamoDBDocumentClient, budgetId: string): Promise<BudgetProject[]> {
  const hit = ballotCache.get(budgetId);
  if (hit && hit.until > Date.now()) return hit.projects;
  const projects = await allProjects(db, budgetId);
  ballotCache.set(budgetId, { projects, until: Date.now() + BALLOT_CACHE_MS });
  return projects;
}

const MAX_ATTEMPTS = 25;

/**
 * Stores a submitted project with the next number of its process, the author's index entry and
 * the author's daily count, in one transaction. The number is taken by a conditional update of
 * the process's counter; a concurrent submission that took it first makes this one re-read and
 * try the next number.
 */
export async function submitProject(
  db: DynamoDBDocumentClient,
  budgetId: string,
  make: (process: BudgetProcess, ord: number) => BudgetProject,
  author: Principal,
  maxPerDay: number,
): Promise<BudgetProject> {
  for (let attempt = 1; ; attempt++) {
    const process = await getBudget(db, budgetId, true);
    if (!process) throw new StoreError('not-found', 'not-found', 'No such budget.');
    const project = make(process, process.projectCount + 1);
    try {
      await db.send(new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: budgetKeys.budget(budgetId),
              UpdateExpression: 'SET projectCount = :next',
              ConditionExpression: 'projectCount = :current',
              ExpressionAttributeValues: { ':next': project.ord, ':current': process.projectCount },
            },
          },
          { Put: { TableName: tableName(), Item: projectItem(project), ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: tableName(),
              Item: { ...budgetKeys.authored(author.sub, budgetId, project.id), type: 'budget-authored', budgetId, projectId: project.id, createdAt: project.submittedAt },
            },
          },
          dailyLimitUpdate(author.sub, 'budget-project', project.submittedAt, maxPerDay),
        ],
      }));
      return project;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[3] === 'ConditionalCheckFailed') throw new StoreError('limit-reached', 'rate-limited', `At most ${maxPerDay} projects a day may be submitted by one person.`, { retryAfterSeconds: 3600 });
      if (attempt >= MAX_ATTEMPTS) throw new StoreError('unavailable', 'unavailable', 'Many projects are being submitted right now; try again.');
      await backoff(attempt);
    }
  }
}

/**
 * Records a person's pre-support of a project, exactly once: the support item (its key is the
 * one-support rule) and the project's count are one transaction. A repeat changes nothing.
 */
export async function supportProject(
  db: DynamoDBDocumentClient,
  project: BudgetProject,
  supporterSub: string,
  now: Date,
): Promise<{ created: boolean; project: BudgetProject }> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...budgetKeys.support(supporterSub, project.budgetId, project.id),
                type: 'budget-support', budgetId: project.budgetId, projectId: project.id, supportedAt: now.toISOString(),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: budgetKeys.project(project.budgetId, project.id),
              UpdateExpression: 'ADD supportCount :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      }));
      return { created: true, project: await requireProject(db, project.budgetId, project.id, true) };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return { created: false, project: await requireProject(db, project.budgetId, project.id, true) };
      if (attempt >= MAX_ATTEMPTS) throw new StoreError('unavailable', 'unavailable', 'Many people are supporting this project right now; try again.');
      await backoff(attempt);
    }
  }
}

/** A guard that the field still holds what the decision was made on (optimistic concurrency). */
function unchanged(field: string, before: { updatedAt?: string; reviewedAt?: string } | null, stamp: 'updatedAt' | 'reviewedAt') {
  return before === null
    ? { condition: `#${field} = :null`, values: { ':null': null } }
    : { condition: `#${field}.${stamp} = :stamp`, values: { ':stamp': (before as Record<string, string>)[stamp] } };
}

/**
 * Writes one decision field of a project (`review`, `implementation`) with its audit entry, unless
 * the field changed since it was read (false: another reviewer or update came first).
 */
async function saveProjectField(
  db: DynamoDBDocumentClient,
  before: BudgetProject,
  after: BudgetProject,
  field: 'review' | 'implementation',
  stamp: 'reviewedAt' | 'updatedAt',
  audit: AuditEntry,
): Promise<boolean> {
  const guard = unchanged(field, before[field], stamp);
  return writeWithAudit(db, [{
    Update: {
      TableName: tableName(),
      Key: budgetKeys.project(before.budgetId, before.id),
      UpdateExpression: `SET #${field} = :value`,
      ConditionExpression: guard.condition,
      ExpressionAttributeNames: { [`#${field}`]: field },
      ExpressionAttributeValues: { ':value': after[field], ...guard.values },
    },
  }], audit);
}

/** Saves a review decision and its audit entry, unless another reviewer decided meanwhile (false). */
export const saveReview = (db: DynamoDBDocumentClient, before: BudgetProject, after: BudgetProject, audit: AuditEntry) =>
  saveProjectField(db, before, after, 'review', 'reviewedAt', audit);

/** Saves an implementation update and its audit entry, unless another update came first (false). */
export const saveImplementation = (db: DynamoDBDocumentClient, before: BudgetProject, after: BudgetProject, audit: AuditEntry) =>
  saveProjectField(db, before, after, 'implementation', 'updatedAt', audit);

// ------------------------------------------------------------------------------------------------
// Ballots

export function ballotFromItem(item: Record<string, unknown>): StoredBallot {
  return {
    receipt: String(item.receipt),
    projects: item.projects as string[],
    ...(item.points ? { points: item.points as number[] } : {}),
    method: item.method as VotingMethod,
    ...(typeof item.ord === 'number' ? { ord: item.ord } : {}),
    ...(item.columns ? { columns: item.columns as Record<string, string> } : {}),
  };
}

/** The stored ballot: choices and method only; no person, no time, no marker key. */
const ballotItem = (budgetId: string, key: { pk: string; sk: string }, ballot: StoredBallot) => ({
  ...key,
  type: 'budget-ballot',
  budgetId,
  receipt: ballot.receipt,
  projects: [...ballot.projects],
  ...(ballot.points ? { points: [...ballot.points] } : {}),
  method: ballot.method,
  ...(ballot.ord !== undefined ? { ord: ballot.ord } : {}),
  ...(ballot.columns ? { columns: ballot.columns } : {}),
});

const sameChoices = (a: Pick<StoredBallot, 'projects' | 'points'>, b: Pick<StoredBallot, 'projects' | 'points'>) =>
  a.projects.join(',') === b.projects.join(',') && (a.points ?? []).join(',') === (b.points ?? []).join(',');

/**
 * What admits a ballot: a voter marker (account) that must not exist yet, or a school code that
 * must exist and be unused. Either is written in the same transaction as the ballot.
 */
export type BallotGate =
  | { readonly kind: 'voter'; readonly voterKey: string }
  | { readonly kind: 'code'; readonly codeHash: string };

/**
 * Casts an anonymous ballot, exactly once per voter (or code), whatever the retries and races:
 * one transaction puts the gate (marker, or code marked used) and the ballot, each only if not
 * there yet. When it is refused, both are read back:
 * - gate taken and this ballot id's ballot stored: a retry of a ballot that was counted (`created:
 *   false`, same receipt; nothing can tell whose ballot it is, which is the point);
 * - gate taken, no such ballot: the person (code) has voted with another ballot (a conflict);
 * - gate free, ballot id taken: someone else's ballot id (a conflict);
 * - neither: a concurrent attempt of the same voter is in flight (a transaction conflict): retry.
 */
export async function castBallot(
  db: DynamoDBDocumentClient,
  input: { budgetId: string; ballotId: string; ballot: StoredBallot; gate: BallotGate; today: string },
): Promise<{ created: boolean }> {
  const { budgetId, ballotId, ballot, gate, today } = input;
  const ballotKey = budgetKeys.ballot(budgetId, ballot.receipt, ballotId);
  const gateKey = gate.kind === 'voter' ? budgetKeys.voter(budgetId, gate.voterKey) : budgetKeys.code(budgetId, gate.codeHash);
  const gateWrite: TransactItem = gate.kind === 'voter'
    ? {
        Put: {
          TableName: tableName(),
          // The day only: a finer time would let whoever reads the table order markers and ballots side by side.
          Item: { ...gateKey, type: 'budget-voter', budgetId, votedOn: today },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      }
    : {
        Update: {
          TableName: tableName(),
          Key: gateKey,
          UpdateExpression: 'SET usedOn = :today',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedOn)',
          ExpressionAttributeValues: { ':today': today },
        },
      };
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({
        TransactItems: [gateWrite, { Put: { TableName: tableName(), Item: ballotItem(budgetId, ballotKey, ballot), ConditionExpression: 'attribute_not_exists(pk)' } }],
      }));
      return { created: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
    }
    const { Responses } = await db.send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: [gateKey, ballotKey], ConsistentRead: true } } }));
    const items = Responses?.[tableName()] ?? [];
    const gateItem = items.find((i) => i.pk === gateKey.pk && i.sk === gateKey.sk);
    const stored = items.find((i) => i.pk === ballotKey.pk && i.sk === ballotKey.sk);
    if (gate.kind === 'code' && !gateItem) throw new StoreError('not-allowed', 'invalid-code', 'This code is not a voting code of this budget.');
    const gateTaken = gate.kind === 'voter' ? gateItem !== undefined : gateItem?.usedOn !== undefined;
    if (gateTaken && stored) {
      if (sameChoices(ballotFromItem(stored), ballot)) return { created: false };
      throw new StoreError('conflict', 'ballot-id-reused', 'A different ballot was already cast with this ballotId; a retry must resend the same ballot.');
    }
    if (gateTaken) {
      throw gate.kind === 'voter'
        ? new StoreError('conflict', 'already-voted', 'You have already voted in this budget; a ballot cannot be changed.')
        : new StoreError('conflict', 'code-used', 'This code has already been used to vote.');
    }
    if (stored) throw new StoreError('conflict', 'ballot-id-taken', 'This ballotId is already used; make a new one for a new ballot.');
    if (attempt >= MAX_ATTEMPTS) throw new StoreError('unavailable', 'unavailable', 'Your ballot could not be stored right now; send it again with the same ballotId.');
    await backoff(attempt);
  }
}

/**
 * The ballot of a retry that arrives too late to be cast again (voting has closed meanwhile): the
 * stored ballot when its gate is taken and a ballot with this ballot id is stored, as castBallot
 * would have answered; undefined otherwise.
 */
export async function retriedBallot(
  db: DynamoDBDocumentClient,
  input: { budgetId: string; ballotId: string; receipt: string; gate: BallotGate },
): Promise<StoredBallot | undefined> {
  const ballotKey = budgetKeys.ballot(input.budgetId, input.receipt, input.ballotId);
  const gateKey = input.gate.kind === 'voter' ? budgetKeys.voter(input.budgetId, input.gate.voterKey) : budgetKeys.code(input.budgetId, input.gate.codeHash);
  const { Responses } = await db.send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: [gateKey, ballotKey], ConsistentRead: true } } }));
  const items = Responses?.[tableName()] ?? [];
  const gateItem = items.find((i) => i.sk === gateKey.sk);
  const stored = items.find((i) => i.sk === ballotKey.sk);
  const gateTaken = input.gate.kind === 'voter' ? gateItem !== undefined : gateItem?.usedOn !== undefined;
  return gateTaken && stored ? ballotFromItem(stored) : undefined;
}

/**
 * A person identified at the services centre receives a paper ballot: their voter marker (the
 * same keyed hash as online) is written now, so a person who voted online is refused (a conflict) and a
 * person recorded here cannot vote online afterwards. The process counts the paper ballots handed
 * out (`paperVoters`); the audit entry names the staff member, never the person. Nothing here is
 * linked to the ballot the person then fills in and drops in the box.
 */
export async function recordPaperVoter(
  db: DynamoDBDocumentClient,
  input: { budgetId: string; voterKey: string; today: string; audit: AuditEntry },
): Promise<void> {
  const { budgetId, voterKey: key, today, audit } = input;
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...budgetKeys.voter(budgetId, key), type: 'budget-voter', budgetId, votedOn: today },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: budgetKeys.budget(budgetId),
              UpdateExpression: 'SET paperVoters = if_not_exists(paperVoters, :zero) + :one',
              ConditionExpression: 'countingStartedAt = :null AND resultsPublishedAt = :null',
              ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':null': null },
            },
          },
          auditPut(audit),
        ],
      }));
      return;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') throw new StoreError('conflict', 'already-voted', 'This person has already voted in this budget (online or on paper).');
      if (codes[1] === 'ConditionalCheckFailed') throw new StoreError('conflict', 'counting-started', 'The results are being published; no more paper ballots are handed out.');
      if (attempt >= MAX_ATTEMPTS) throw new StoreError('unavailable', 'unavailable', 'The voter could not be recorded right now; try again.');
      await backoff(attempt);
    }
  }
}

/**
 * A paper ballot entered by staff, with its audit entry, in one transaction, guarded by the
 * process: never more paper ballots than people identified at the centre (`paperBallots` stays
 * below `paperVoters`), and none once the council has started publishing the results. The ballot
 * id makes the entry idempotent (a retry finds the same ballot).
 */
export async function enterPaperBallot(
  db: DynamoDBDocumentClient,
  input: { budgetId: string; ballotId: string; ballot: StoredBallot; audit: AuditEntry },
): Promise<{ created: boolean }> {
  const { budgetId, ballotId, ballot, audit } = input;
  const ballotKey = budgetKeys.ballot(budgetId, ballot.receipt, ballotId);
  for (let attempt = 1; ; attempt++) {
    try {
      const written = await writeWithAudit(db, [
        { Put: { TableName: tableName(), Item: ballotItem(budgetId, ballotKey, ballot), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Update: {
            TableName: tableName(),
            Key: budgetKeys.budget(budgetId),
            UpdateExpression: 'SET paperBallots = if_not_exists(paperBallots, :zero) + :one',
            ConditionExpression: 'countingStartedAt = :null AND resultsPublishedAt = :null AND '
              + '((attribute_not_exists(paperBallots) AND paperVoters > :zero) OR paperBallots < paperVoters)',
            ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':null': null },
          },
        },
      ], audit);
      if (written) return { created: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new StoreError('unavailable', 'unavailable', 'The paper ballot could not be stored right now; send it again with the same ballotId.');
      await backoff(attempt);
      continue;
    }
    const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: ballotKey, ConsistentRead: true }));
    if (Item) {
      if (sameChoices(ballotFromItem(Item), ballot)) return { created: false };
      throw new StoreError('conflict', 'ballot-id-reused', 'A different ballot was already entered with this ballotId.');
    }
    const process = await getBudget(db, budgetId, true);
    if (!process || process.countingStartedAt || process.resultsPublishedAt) {
      throw new StoreError('conflict', 'counting-started', 'The results are being published; no more paper ballots are accepted.');
    }
    throw new StoreError('conflict', 'more-ballots-than-paper-voters', 'Every paper ballot handed out is already entered: a paper ballot counts only for a person identified at the centre (paper-voters).');
  }
}

/** The ballots with this receipt (one, unless the receipt is an imported file's voter id reused). */
export async function ballotsByReceipt(db: DynamoDBDocumentClient, budgetId: string, receipt: string): Promise<StoredBallot[]> {
  const { Items } = await db.send(new QueryCommand({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': budgetKeys.ballotShard(budgetId, shardOf(receipt)), ':prefix': `BALLOT#${receipt}#` },
  }));
  return (Items ?? []).map(ballotFromItem);
}

const BALLOT_PROJECTION = {
  ProjectionExpression: '#receipt, #projects, #points, #method, #ord, #columns',
  ExpressionAttributeNames: { '#receipt': 'receipt', '#projects': 'projects', '#points': 'points', '#method': 'method', '#ord': 'ord', '#columns': 'columns' },
};

/** Every stored ballot of a process: its 16 shards read in parallel. */
export async function allBallots(db: DynamoDBDocumentClient, budgetId: string, consistent: boolean): Promise<StoredBallot[]> {
  const shards = await Promise.all(Array.from({ length: BALLOT_SHARDS }, async (_, shard) => {
    const out: StoredBallot[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': budgetKeys.ballotShard(budgetId, shard) },
        ConsistentRead: consistent,
        ...BALLOT_PROJECTION,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }));
      out.push(...(page.Items ?? []).map(ballotFromItem));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }));
  return shards.flat();
}

/** A page of the anonymous ballots, shard after shard (each in receipt order, which says nothing about time). */
export async function ballotPage(db: DynamoDBDocumentClient, budgetId: string, limit: number, cursor: string | undefined) {
  let shard = 0;
  let start: Record<string, string> | undefined;
  if (cursor !== undefined) {
    const decoded = (await decodeCursor(`ballots:${budgetId}`, cursor)) as { s?: unknown; k?: unknown };
    if (typeof decoded !== 'object' || decoded === null || !Number.isInteger(decoded.s) || (decoded.s as number) < 0 || (decoded.s as number) >= BALLOT_SHARDS) throw invalidCursor();
    shard = decoded.s as number;
    if (decoded.k !== undefined) {
      if (!isKey(decoded.k) || decoded.k.pk !== budgetKeys.ballotShard(budgetId, shard)) throw invalidCursor();
      start = decoded.k;
    }
  }
  const items: StoredBallot[] = [];
  while (shard < BALLOT_SHARDS && items.length < limit) {
    const page = await db.send(new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': budgetKeys.ballotShard(budgetId, shard) },
      Limit: limit - items.length,
      ...BALLOT_PROJECTION,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    items.push(...(page.Items ?? []).map(ballotFromItem));
    start = page.LastEvaluatedKey as Record<string, string> | undefined;
    if (!start) shard += 1;
  }
  const more = shard < BALLOT_SHARDS;
  return { items, nextCursor: more ? await encodeCursor(`ballots:${budgetId}`, { s: shard, ...(start ? { k: start } : {}) }) : null };
}

// ------------------------------------------------------------------------------------------------
// School codes

/** At most this many codes per transaction, with the audit entry as its last action (100 in all). */
const CODES_PER_TRANSACTION = 99;

/**
 * Reserves `count` codes of a school budget against its registered number of students: the
 * process's `codesIssued` grows only while it stays at most `students` (false: that would be more
 * codes than students; the council can raise the number). An optimistic update of the counter
 * read, retried on a concurrent issue. Reserved before the codes are stored: a
 * request that fails halfway leaves reserved codes that were never shown (counted, unusable).
 */
export async function reserveCodes(db: DynamoDBDocumentClient, budgetId: string, count: number): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const process = await getBudget(db, budgetId, true);
    if (!process || process.students === null || process.codesIssued + count > process.students) return false;
    try {
      await db.send(new UpdateCommand({
        TableName: tableName(),
        Key: budgetKeys.budget(budgetId),
        UpdateExpression: 'SET codesIssued = :after',
        // Exactly what was read: a concurrent issue or a change of the number makes this read again.
        ConditionExpression: 'students = :students AND (attribute_not_exists(codesIssued) OR codesIssued = :before)',
        ExpressionAttributeValues: { ':after': process.codesIssued + count, ':before': process.codesIssued, ':students': process.students },
      }));
      return true;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      if (attempt >= MAX_ATTEMPTS) throw new StoreError('unavailable', 'unavailable', 'Many codes are being issued right now; try again.');
      await backoff(attempt);
    }
  }
}

/**
 * The council sets a school budget's registered number of students (raising it allows more codes),
 * never below the codes already issued; audited. False when codes issued meanwhile exceed it.
 */
export async function setStudents(db: DynamoDBDocumentClient, budgetId: string, students: number, audit: AuditEntry): Promise<boolean> {
  return writeWithAudit(db, [{
    Update: {
      TableName: tableName(),
      Key: budgetKeys.budget(budgetId),
      UpdateExpression: 'SET students = :students',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(codesIssued) OR codesIssued <= :students)',
      ExpressionAttributeValues: { ':students': students },
    },
  }], audit);
}

/**
 * Stores the hashes of newly issued codes. Each transaction holds up to 99 codes and its own audit
 * entry (the staff decision "issued these codes"), so no code exists without its entry. If a
 * request fails halfway, the codes already stored were never shown to anyone: unusable, and audited.
 */
export async function storeCodes(
  db: DynamoDBDocumentClient,
  input: { budgetId: string; hashes: readonly string[]; batchId: string; today: string; audit: Omit<AuditEntry, 'detail'> },
): Promise<void> {
  const { budgetId, hashes, batchId, today, audit } = input;
  const parts = Math.ceil(hashes.length / CODES_PER_TRANSACTION);
  await Promise.all(Array.from({ length: parts }, async (_, part) => {
    const chunk = hashes.slice(part * CODES_PER_TRANSACTION, (part + 1) * CODES_PER_TRANSACTION);
    const entry: AuditEntry = { ...audit, detail: { batchId, part: part + 1, parts, codes: chunk.length, total: hashes.length } };
    for (let attempt = 1; ; attempt++) {
      try {
        await db.send(new TransactWriteCommand({
          TransactItems: [
            ...chunk.map((hash): TransactItem => ({
              Put: {
                TableName: tableName(),
                Item: { ...budgetKeys.code(budgetId, hash), type: 'budget-code', budgetId, batchId, issuedOn: today },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
            auditPut(entry),
          ],
        }));
        return;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes || codes.includes('ConditionalCheckFailed') || attempt >= 5) throw error;
        await backoff(attempt);
      }
    }
  }));
}

/** Issued and used codes of a process (for turnout), by reading the code partition's keys. */
export async function codeCounts(db: DynamoDBDocumentClient, budgetId: string): Promise<{ issued: number; used: number }> {
  let issued = 0;
  let used = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': budgetKeys.codes(budgetId) },
      ProjectionExpression: 'usedOn',
      ...(start ? { ExclusiveStartKey: start } : {}),
    }));
    for (const item of page.Items ?? []) {
      issued += 1;
      if (item.usedOn !== undefined) used += 1;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { issued, used };
}

// ------------------------------------------------------------------------------------------------
// Results

export async function getPublishedResults(db: DynamoDBDocumentClient, budgetId: string): Promise<BudgetResults | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: budgetKeys.results(budgetId) }));
  return Item ? (Item.results as BudgetResults) : undefined;
}

/**
 * Publishes the results, once. First the process is marked as counting, which closes paper
 * entry (a paper ballot's transaction checks that mark), so the ballots read next are all there
 * will ever be; then the results, the process's publication stamp and the audit entry are one
 * transaction. A second publication (or a concurrent one that lost) is a conflict. If this stops
 * between the two steps, publishing again completes it.
 */
export async function publishResults(
  db: DynamoDBDocumentClient,
  budgetId: string,
  count: () => Promise<BudgetResults>,
  audit: AuditEntry,
): Promise<BudgetResults> {
  const at = audit.at.toISOString();
  try {
    await db.send(new UpdateCommand({
      TableName: tableName(),
      Key: budgetKeys.budget(budgetId),
      UpdateExpression: 'SET countingStartedAt = :at',
      // Also when counting had started and publication stopped halfway: publishing again completes it.
      ConditionExpression: 'resultsPublishedAt = :null',
      ExpressionAttributeValues: { ':at': at, ':null': null },
    }));
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') throw new StoreError('conflict', 'already-published', 'The results of this budget are already published.');
    throw error;
  }
  const results = await count();
  const written = await writeWithAudit(db, [
    {
      Put: {
        TableName: tableName(),
        Item: { ...budgetKeys.results(budgetId), type: 'budget-results', budgetId, results },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: budgetKeys.budget(budgetId),
        UpdateExpression: 'SET resultsPublishedAt = :at',
        ConditionExpression: 'resultsPublishedAt = :null',
        ExpressionAttributeValues: { ':at': results.publishedAt, ':null': null },
      },
    },
  ], { ...audit, detail: { winners: results.winners, totalSpent: results.totalSpent, ballots: results.ballots.total, rule: results.rule.name } });
  if (!written) throw new StoreError('conflict', 'already-published', 'The results of this budget are already published.');
  return results;
}

// ------------------------------------------------------------------------------------------------
// Import

const BATCH_SIZE = 25;
const BATCH_CONCURRENCY = 8;

/**
 * Puts many items with BatchWriteItem, 25 per request, a few requests in flight, unprocessed items
 * retried with a jittered backoff (the table throttling a burst is normal, not an error), until
 * `deadline`. Starts at chunk `from`; returns the watermark: every chunk before it is written.
 * Puts are idempotent, so writing a chunk again (after a crash) changes nothing. The first chunk
 * is always tried, even past the deadline, so a call always makes progress. Throws only if it
 * could write nothing at all.
 */
export async function batchPutUntil(
  db: DynamoDBDocumentClient,
  items: readonly Record<string, unknown>[],
  options: { from: number; deadline: number },
): Promise<{ watermark: number; chunks: number }> {
  const chunks = Math.ceil(items.length / BATCH_SIZE);
  const done = new Array<boolean>(chunks).fill(false);
  let next = options.from;
  let failure: unknown;
  const writeChunk = async (index: number): Promise<boolean> => {
    let request = items.slice(index * BATCH_SIZE, (index + 1) * BATCH_SIZE).map((Item) => ({ PutRequest: { Item } }));
    // The first chunk of a call is written whatever the clock says: every call makes progress, even
    // on a loaded system (the deadline keeps a margin before the function's timeout for this).
    const first = index === options.from;
    for (let attempt = 1; (first && attempt === 1) || Date.now() < options.deadline; attempt++) {
      const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [tableName()]: request } }));
      const left = (UnprocessedItems?.[tableName()] ?? []) as typeof request;
      if (left.length === 0) return true;
      request = left;
      await jitteredBackoff(attempt, 2_000, 25);
    }
    return false;
  };
  const worker = async () => {
    while (failure === undefined && next < chunks && (next === options.from || Date.now() < options.deadline)) {
      const index = next++;
      try {
        done[index] = await writeChunk(index);
      } catch (error) {
        failure = error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, Math.max(1, chunks - options.from)) }, worker));
  let watermark = options.from;
  while (watermark < chunks && done[watermark]) watermark += 1;
  if (failure !== undefined && watermark === options.from) throw failure;
  return { watermark, chunks };
}

export type ImportOutcome =
  | { readonly state: 'created' | 'found'; readonly process: BudgetProcess }
  | { readonly state: 'in-progress'; readonly process: BudgetProcess; readonly written: number; readonly total: number };

/**
 * Imports a finished process. The process item is written first, with its audit entry, marked
 * incomplete (it is not served meanwhile); then projects and ballots by batches, until `deadline`
 * (a Lambda has seconds, a big file may need more); then the mark is lifted. Its id is derived
 * from the file and the community, so sending the same file again continues from the stored
 * watermark (after a deadline or a timeout), or finds the import complete.
 */
export async function importBudget(
  db: DynamoDBDocumentClient,
  input: { process: BudgetProcess; projects: readonly BudgetProject[]; ballots: readonly StoredBallot[]; audit: AuditEntry; deadline: number },
): Promise<ImportOutcome> {
  const { process, projects, ballots, audit } = input;
  let existing = await getBudget(db, process.id, true);
  if (existing?.origin?.complete) return { state: 'found', process: existing };
  if (!existing) {
    const written = await writeWithAudit(db, [{ Put: { TableName: tableName(), Item: budgetItem(process), ConditionExpression: 'attribute_not_exists(pk)' } }], audit);
    existing = written ? process : await getBudget(db, process.id, true);
    if (!existing) throw new StoreError('unavailable', 'unavailable', 'The import could not start; try again.');
  }
  // Deterministic order (the file's): the watermark means the same items on every attempt.
  const items = [
    ...projects.map(projectItem),
    ...ballots.map((b) => ballotItem(process.id, budgetKeys.importedBallot(process.id, b.receipt), b)),
  ];
  const from = existing.origin?.importedChunks ?? 0;
  const { watermark, chunks } = await batchPutUntil(db, items, { from, deadline: input.deadline });
  if (watermark < chunks) {
    await db.send(new UpdateCommand({
      TableName: tableName(),
      Key: budgetKeys.budget(process.id),
      UpdateExpression: 'SET origin.importedChunks = :w',
      ConditionExpression: 'attribute_not_exists(origin.importedChunks) OR origin.importedChunks < :w',
      ExpressionAttributeValues: { ':w': watermark },
    })).catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error; // a concurrent attempt got further
    });
    return { state: 'in-progress', process: existing, written: Math.min(items.length, watermark * BATCH_SIZE), total: items.length };
  }
  await db.send(new UpdateCommand({
    TableName: tableName(),
    Key: budgetKeys.budget(process.id),
    UpdateExpression: 'SET origin.#complete = :true',
    ExpressionAttributeNames: { '#complete': 'complete' },
    ExpressionAttributeValues: { ':true': true },
  }));
  return { state: 'created', process: { ...existing, origin: { ...existing.origin!, complete: true } } };
}
