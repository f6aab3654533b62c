import { ballotPoints, type Ballot, type BallotRules } from './ballot.ts';

/** A project as the tally sees it: admitted to the vote, with a whole-unit cost. */
export interface TallyProject {
  readonly id: string;
  readonly cost: number;
  /** Budget category, when the process splits its money by category. */
  readonly category?: string;
}

/** A project with its counts: what the winner rules and tie-breaking look at. */
export interface CountedProject extends TallyProject {
  /** Position in the official project list. */
  readonly listIndex: number;
  /** Ballots that chose the project. */
  readonly votes: number;
  /** Points from those ballots (equal to votes for approval-type ballots). */
  readonly score: number;
}

/** Counts votes and points per project; ballots must only name listed projects. */
export function countVotes(
  rules: BallotRules,
  projects: readonly TallyProject[],
  ballots: readonly Ballot[],
): CountedProject[] {
  const index = new Map(projects.map((p, i) => [p.id, i]));
  const votes = new Array<number>(projects.length).fill(0);
  const score = new Array<number>(projects.length).fill(0);
  for (const ballot of ballots) {
    const points = ballotPoints(rules, ballot);
    ballot.projects.forEach((id, position) => {
      const i = index.get(id)!;
      votes[i]! += 1;
      score[i]! += points[position] ?? 0;
    });
  }
  return projects.map((p, i) => ({ ...p, listIndex: i, votes: votes[i]!, score: score[i]! }));
}
