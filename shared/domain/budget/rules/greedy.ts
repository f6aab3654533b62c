import type { CountedProject } from '#shared/domain/budget/counting.ts';

export type RankBy = 'votes' | 'score';

/** What happened to each project, in ranking order: enough to explain a greedy result. */
export type GreedyDecision =
  | 'selected'
  /** Costs more than the money left. */
  | 'does-not-fit'
  /** No ballot chose it: a project nobody voted for is never funded, whatever money is left. */
  | 'no-votes'
  /** Fewer votes (or points) than the minimum. */
  | 'below-minimum'
  /** The category already has its number of winners. */
  | 'winners-limit-reached'
  /** Ranked below the project at which greedy-no-skip stopped. */
  | 'after-stop';

export interface GreedyOptions {
  readonly rankBy: RankBy;
  /** 'skip' moves on to cheaper projects; 'stop' ends at the first project that does not fit. */
  readonly whenTooExpensive: 'skip' | 'stop';
  /** Projects below this many votes (or points, per rankBy) are not eligible. */
  readonly minimum: number;
  readonly maxWinners: number;
}

export interface GreedyOutcome {
  readonly winners: readonly CountedProject[];
  readonly decisions: readonly { readonly projectId: string; readonly decision: GreedyDecision }[];
}

/**
 * Funds projects from the most votes (or points) down while money is left. Exact ties in the
 * ranking are broken by `tieBreak`. A project with no vote at all is never funded (a rule's
 * minimum can only ask for more).
 */
export function selectGreedy(
  projects: readonly CountedProject[],
  budget: number,
  options: GreedyOptions,
  tieBreak: (a: CountedProject, b: CountedProject) => number,
): GreedyOutcome {
  const measure = (p: CountedProject) => (options.rankBy === 'votes' ? p.votes : p.score);
  const ranking = [...projects].sort((a, b) => measure(b) - measure(a) || tieBreak(a, b));
  const winners: CountedProject[] = [];
  const decisions: { projectId: string; decision: GreedyDecision }[] = [];
  let left = budget;
  let stopped = false;
  for (const project of ranking) {
    let decision: GreedyDecision;
    if (stopped) {
      decision = 'after-stop';
    } else if (project.votes < 1) {
      decision = 'no-votes';
    } else if (measure(project) < options.minimum) {
      decision = 'below-minimum';
    } else if (winners.length >= options.maxWinners) {
      decision = 'winners-limit-reached';
    } else if (project.cost > left) {
      decision = 'does-not-fit';
      stopped = options.whenTooExpensive === 'stop';
    } else {
      decision = 'selected';
      winners.push(project);
      left -= project.cost;
    }
    decisions.push({ projectId: project.id, decision });
  }
  return { winners, decisions };
}
