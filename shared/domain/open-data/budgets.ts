import type { BudgetProcess } from '#shared/domain/budget-process/process.ts';
import type { BudgetProject } from '#shared/domain/budget-process/project.ts';
import type { BudgetResults } from '#shared/domain/budget-process/results.ts';
import { LICENSE } from './petitions.ts';

/**
 * The budgets dataset, pure: one row per project of every budget whose results are public, with
 * its votes (empty: not on the ballot), whether it won, and its implementation. Stable columns (README; new ones only appended).
 */
export const budgetColumns = [
  'budget_id',
  'budget_title',
  'budget_kind',
  'currency',
  'results_published_at',
  'project_id',
  'project_title',
  'category',
  'cost',
  'votes',
  'selected',
  'implementation_status',
  'implementation_progress',
  'implementation_updated_at',
  'project_url',
] as const;

export type BudgetRow = Record<(typeof budgetColumns)[number], string | number | boolean | null>;

export function budgetRows(budget: BudgetProcess, projects: readonly BudgetProject[], results: BudgetResults): BudgetRow[] {
  const counted = new Map(results.projects.map((p) => [p.projectId, p]));
  const winners = new Set(results.winners);
  return [...projects].sort((a, b) => a.ord - b.ord).map((p) => ({
    budget_id: budget.id,
    budget_title: budget.title,
    budget_kind: budget.kind,
    currency: budget.money.currency,
    results_published_at: results.publishedAt ?? budget.origin?.importedAt ?? null,
    project_id: p.id,
    project_title: p.title,
    category: p.category,
    cost: p.cost,
    votes: counted.get(p.id)?.votes ?? null,
    selected: winners.has(p.id),
    implementation_status: p.implementation?.status ?? (winners.has(p.id) ? 'planned' : null),
    implementation_progress: p.implementation?.progress ?? (winners.has(p.id) ? 0 : null),
    implementation_updated_at: p.implementation?.updatedAt ?? null,
    project_url: `/v1/budgets/${budget.id}/projects/${p.id}`,
  }));
}

/** The latest moment a row could have changed (null: no rows). */
export function budgetsModified(items: readonly { budget: BudgetProcess; projects: readonly BudgetProject[] }[]): string | null {
  let latest: string | null = null;
  for (const { budget, projects } of items) {
    for (const at of [budget.resultsPublishedAt, budget.origin?.importedAt, ...projects.map((p) => p.implementation?.updatedAt)]) {
      if (at && (latest === null || at > latest)) latest = at;
    }
  }
  return latest;
}

/**
 * A catalogue entry for a budget's anonymous ballots as a Pabulib file (the existing
 * `/v1/budgets/{id}/export.pb`), for a budget whose results are public.
 */
export function pabulibEntry(budget: BudgetProcess, community: { id: string; name: string }) {
  const url = `/v1/budgets/${budget.id}/export.pb`;
  return {
    id: `${community.id}-budget-${budget.id}-pabulib`,
    title: `Anonymous ballots (Pabulib): ${budget.title}`,
    description:
      'The budget as a Pabulib election (pabulib.org): META with its rules, PROJECTS with costs, votes and winners, VOTES with ' +
      'every anonymous ballot (voter_id is the ballot receipt, so a voter can find their own). Recountable with any Pabulib tool.',
    publisher: community.name,
    license: LICENSE,
    keywords: ['participatory budgeting', 'ballots', 'pabulib'],
    modified: budget.resultsPublishedAt ?? budget.origin?.importedAt ?? null,
    formats: ['PB'] as const,
    url,
    distributions: [{ format: 'PB' as const, mediaType: 'text/plain; charset=utf-8', url }],
    columns: [] as string[],
  };
}
