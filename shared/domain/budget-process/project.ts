/**
 * A budget project's lifecycle, pure:
 *
 *   submitted ── (pre-support reached, or none required) ──► awaiting review ──► admitted ──► selected ──► implementation
 *       │                                                         │                  │
 *       └─► insufficient support (submission and pre-support over) └─► rejected       └─► not selected
 *
 * Only what people decide is stored (the submission, each support, the review, the implementation
 * updates); the status is computed from them, the phase and the published winners, so nothing has
 * to flip it when a date passes. Only admitted projects are on the ballot, at their final cost.
 */
import type { Principal } from '#shared/auth/roles.ts';
import type { BallotProject } from '#shared/domain/budget/ballot.ts';
import { moneyFor, phaseOf, type BudgetProcess } from './process.ts';
import { refusal, refuse, type Decision, type Refusal } from '#shared/domain/outcome.ts';

export interface ProjectReview {
  readonly feasible: boolean;
  /** Why it is (not) feasible: published with the decision. */
  readonly reason: string;
  /** The cost the reviewers set; the ballot and the tally use it. Null when not feasible. */
  readonly finalCost: number | null;
  readonly reviewedAt: string;
}

export const implementationStatuses = ['planned', 'in-progress', 'completed', 'cancelled'] as const;
export type ImplementationStatus = (typeof implementationStatuses)[number];

export interface Implementation {
  readonly status: ImplementationStatus;
  /** Percent, 0-100. */
  readonly progress: number;
  readonly note: string | null;
  readonly updatedAt: string;
}

export interface BudgetProject {
  readonly budgetId: string;
  /** `1`, `2`, ... in submission order; for an imported process, the file's project_id. */
  readonly id: string;
  /** Position in the official project list (ties are broken by it last). */
  readonly ord: number;
  readonly community: string;
  /** Never shown publicly; null for imported projects. */
  readonly authorSub: string | null;
  readonly title: string;
  readonly description: string;
  /** Cost the author estimated, whole currency units. */
  readonly cost: number;
  /** Budget category id; null when the budget is not split. */
  readonly category: string | null;
  readonly submittedAt: string;
  readonly supportCount: number;
  readonly review: ProjectReview | null;
  readonly implementation: Implementation | null;
  /** Pabulib PROJECTS columns of an imported project other than project_id, cost, votes, score, selected. */
  readonly pabulibColumns: Readonly<Record<string, string>> | null;
}

export const projectStatuses = [
  'collecting-support', 'insufficient-support', 'awaiting-review', 'not-reviewed', 'rejected', 'admitted', 'selected', 'not-selected',
] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

export const supportReached = (process: BudgetProcess, project: Pick<BudgetProject, 'supportCount'>) =>
  project.supportCount >= process.preSupport.required;

/** The project's status now; `winners` once the results are published (null before). */
export function projectStatus(process: BudgetProcess, project: BudgetProject, now: Date, winners: ReadonlySet<string> | null): ProjectStatus {
  if (project.review) {
    if (!project.review.feasible) return 'rejected';
    if (winners) return winners.has(project.id) ? 'selected' : 'not-selected';
    return 'admitted';
  }
  const phase = phaseOf(process, now);
  const collecting = phase === 'upcoming' || phase === 'submission' || phase === 'pre-support';
  if (!supportReached(process, project)) return collecting ? 'collecting-support' : 'insufficient-support';
  return collecting || phase === 'review' ? 'awaiting-review' : 'not-reviewed';
}

/** Whether the project is on the ballot. */
export const isAdmitted = (project: Pick<BudgetProject, 'review'>) => project.review?.feasible === true;

/** The ballot's projects: admitted ones at their final cost, others present but not admitted. */
export function ballotProjects(projects: readonly BudgetProject[]): BallotProject[] {
  return projects.map((p) => ({
    id: p.id,
    cost: p.review?.finalCost ?? p.cost,
    ...(p.category !== null ? { category: p.category } : {}),
    admitted: isAdmitted(p),
  }));
}

export interface NewProjectInput {
  readonly title: string;
  readonly description: string;
  readonly cost: number;
  readonly category?: string | undefined;
}

/** The rules a submitted project must keep against its budget; the first one broken, if any. */
export function checkProjectInput(process: BudgetProcess, input: NewProjectInput): Refusal | undefined {
  const categories = process.money.categories;
  if (categories.length > 0) {
    if (input.category === undefined) return refusal('invalid', 'category-required', `Choose a category: ${categories.map((c) => c.id).join(', ')}.`);
    if (!categories.some((c) => c.id === input.category)) {
      return refusal('invalid', 'unknown-category', `The budget has no category "${input.category}"; it has ${categories.map((c) => c.id).join(', ')}.`);
    }
  } else if (input.category !== undefined) {
    return refusal('invalid', 'category-not-expected', 'This budget is not split into categories.');
  }
  const limit = moneyFor(process.money, input.category ?? null);
  if (input.cost > limit) {
    return refusal('invalid', 'over-budget', `The project costs ${input.cost}, more than the ${limit} ${process.money.currency} available${input.category ? ` in category "${input.category}"` : ''}.`);
  }
  return undefined;
}

/** A new project with the id the store allotted (`ord` = the process's project count plus one). */
export function newProject(process: BudgetProcess, input: NewProjectInput, author: Principal, ord: number, now: Date): BudgetProject {
  return {
    budgetId: process.id,
    id: String(ord),
    ord,
    community: process.community,
    authorSub: author.sub,
    title: input.title,
    description: input.description,
    cost: input.cost,
    category: input.category ?? null,
    submittedAt: now.toISOString(),
    supportCount: 0,
    review: null,
    implementation: null,
    pabulibColumns: null,
  };
}

export interface ReviewInput {
  readonly feasible: boolean;
  readonly reason: string;
  readonly finalCost?: number | undefined;
}

/**
 * The reviewers' decision: while the budget is in review, on a project that reached its
 * pre-support. It can be changed until voting opens (each change is audited); the ballot is then
 * fixed. A feasible project needs a final cost within its category's money.
 */
export function reviewProject(process: BudgetProcess, project: BudgetProject, input: ReviewInput, now: Date): Decision<BudgetProject> {
  const phase = phaseOf(process, now);
  if (phase !== 'review') return refuse('wrong-state', 'wrong-phase', `Projects are reviewed in the review phase; the budget is in phase "${phase}".`);
  if (!supportReached(process, project)) {
    return refuse('wrong-state', 'insufficient-support', `The project has ${project.supportCount} of the ${process.preSupport.required} supporters it needs to be reviewed.`);
  }
  let finalCost: number | null = null;
  if (input.feasible) {
    if (input.finalCost === undefined) return refuse('invalid', 'final-cost-required', 'A feasible project needs its final cost.');
    const limit = moneyFor(process.money, project.category);
    if (input.finalCost > limit) return refuse('invalid', 'over-budget', `The final cost ${input.finalCost} is more than the ${limit} available.`);
    finalCost = input.finalCost;
  } else if (input.finalCost !== undefined) {
    return refuse('invalid', 'final-cost-not-expected', 'A project found not feasible has no final cost.');
  }
  return { ok: true, value: { ...project, review: { feasible: input.feasible, reason: input.reason, finalCost, reviewedAt: now.toISOString() } } };
}

export interface ImplementationInput {
  readonly status: ImplementationStatus;
  readonly progress: number;
  readonly note?: string | undefined;
}

/**
 * Implementation tracking, by the council, for a winning project once the results are published.
 * Completed and cancelled are final; completed means 100 %, cancelled needs a note saying why.
 */
export function updateImplementation(project: BudgetProject, winner: boolean, input: ImplementationInput, now: Date): Decision<BudgetProject> {
  if (!winner) return refuse('wrong-state', 'not-a-winner', 'Only winning projects are tracked through implementation.');
  const current = project.implementation?.status ?? 'planned';
  if (current === 'completed' || current === 'cancelled') return refuse('wrong-state', 'implementation-final', `The project's implementation is already ${current}.`);
  if (input.status === 'completed' && input.progress !== 100) return refuse('invalid', 'completed-below-100', 'A completed project is at 100 % progress.');
  if (input.status === 'planned' && input.progress !== 0) return refuse('invalid', 'planned-with-progress', 'A planned project has 0 % progress.');
  if (input.status === 'cancelled' && !input.note) return refuse('invalid', 'cancelled-without-note', 'Say why the project was cancelled (note).');
  return {
    ok: true,
    value: { ...project, implementation: { status: input.status, progress: input.progress, note: input.note ?? null, updatedAt: now.toISOString() } },
  };
}

/** The public view: never who submitted it. */
export function projectView(process: BudgetProcess, p: BudgetProject, now: Date, winners: ReadonlySet<string> | null, options: { description: boolean }) {
  return {
    budgetId: p.budgetId,
    id: p.id,
    title: p.title,
    ...(options.description ? { description: p.description } : {}),
    cost: p.cost,
    finalCost: p.review?.finalCost ?? null,
    category: p.category,
    status: projectStatus(process, p, now, winners),
    submittedAt: p.submittedAt,
    preSupport: { count: p.supportCount, required: process.preSupport.required, reached: supportReached(process, p) },
    review: p.review,
    implementation: winners?.has(p.id) ? (p.implementation ?? { status: 'planned' as const, progress: 0, note: null, updatedAt: process.resultsPublishedAt ?? p.submittedAt }) : null,
    ...(p.pabulibColumns ? { pabulibColumns: p.pabulibColumns } : {}),
  };
}
