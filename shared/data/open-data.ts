import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resultsArePublic, type BudgetProcess } from '#shared/domain/budget-process/process.ts';
import type { BudgetProject } from '#shared/domain/budget-process/project.ts';
import { budgetResults, type BudgetResults } from '#shared/domain/budget-process/results.ts';
import type { Consultation } from '#shared/domain/consultations/consultation.ts';
import type { Petition } from '#shared/domain/petitions/petition.ts';
import { allBallots, allProjects, getPublishedResults, listBudgets } from './budgets.ts';
import { consultationFromItem, consultationKeys } from './consultations.ts';
import { keys } from './keys.ts';
import { withCounts } from './petitions.ts';
import { queryAll } from './query.ts';
import { keyPrefix } from './key-prefixes.ts';

/** Every public petition of a community: the published ones (open and closed), then the rejected ones. */
export async function publicPetitions(db: DynamoDBDocumentClient, community: string): Promise<Petition[]> {
  const out: Petition[] = [];
  for (const partition of [keys.petitionListing(community, 'open'), keys.petitionListing(community, 'rejected')]) {
    out.push(...(await withCounts(db, await queryAll(db, { index: 'gsi1', partition }))));
  }
  return out;
}

/** Every consultation of a community, oldest opening first. */
export async function allConsultations(db: DynamoDBDocumentClient, community: string): Promise<Consultation[]> {
  return (await queryAll(db, { index: 'gsi1', partition: consultationKeys.listing(community) })).map(consultationFromItem);
}

/** A petition's hourly signature counts (the cumulative count at the end of each hour that changed), oldest first. */
export async function hourlyCounts(db: DynamoDBDocumentClient, petitionId: string): Promise<{ hour: string; signatureCount: number }[]> {
  const items = await queryAll(db, { partition: keys.petition(petitionId).pk, prefix: keyPrefix.countHistory });
  return items.map((item) => ({ hour: String(item.hour), signatureCount: Number(item.signatureCount) }));
}

/** Every budget of a community whose results are public (published by the council, or imported completely), oldest voting first. */
export async function budgetsWithPublicResults(db: DynamoDBDocumentClient, community: string): Promise<BudgetProcess[]> {
  const budgets: BudgetProcess[] = [];
  let cursor: string | undefined;
  do {
    const page = await listBudgets(db, community, 500, cursor);
    budgets.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return budgets.filter((b) => resultsArePublic(b) && (b.origin === null || b.origin.complete)).reverse();
}

/** A budget's projects, in list order. */
export const budgetProjects = (db: DynamoDBDocumentClient, budget: BudgetProcess) => allProjects(db, budget.id);

/**
 * The public results of a budget whose results are public: the published ones as stored, an
 * imported election's counted from its stored ballots.
 */
export async function publicResults(db: DynamoDBDocumentClient, budget: BudgetProcess, projects: readonly BudgetProject[], now: Date): Promise<BudgetResults> {
  const published = budget.resultsPublishedAt ? await getPublishedResults(db, budget.id) : undefined;
  return published ?? budgetResults(budget, projects, await allBallots(db, budget.id, false), { computedAt: now, publishedAt: null });
}
