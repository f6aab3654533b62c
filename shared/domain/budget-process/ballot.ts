/**
 * Whether a ballot sent to a process may be cast, and if so in what form it is stored. Pure: the
 * caller reads the projects on the ballot and maps a refusal (the HTTP layer: 422 naming the rule).
 */
import { validateBallot, type Ballot, type BallotViolation } from '#shared/domain/budget/ballot.ts';
import type { BudgetProcess } from './process.ts';
import { ballotProjects, type BudgetProject } from './project.ts';
import type { StoredBallot, VotingMethod } from './results.ts';
import { receiptOf } from './secrecy.ts';

export type BallotDecision =
  | { readonly ok: true; readonly ballot: StoredBallot }
  /** The first ballot rule broken (validateBallot's order), and a message for people. */
  | { readonly ok: false; readonly rule: BallotViolation; readonly message: string };

/**
 * The ballot a voter, a code holder or staff sent, checked against the process's ballot rules and
 * the projects admitted to it; when valid, in the form it is stored: choices, the receipt of its
 * ballot id and the voting method only (no person, no time).
 */
export function decideBallot(
  process: Pick<BudgetProcess, 'ballotRules'>,
  projects: readonly BudgetProject[],
  input: { readonly ballotId: string; readonly ballot: Ballot },
  method: VotingMethod,
): BallotDecision {
  const validation = validateBallot(process.ballotRules, ballotProjects(projects), input.ballot);
  if (!validation.ok) return { ok: false, rule: validation.rule, message: validation.message };
  return {
    ok: true,
    ballot: {
      receipt: receiptOf(input.ballotId),
      projects: input.ballot.projects,
      ...(input.ballot.points ? { points: input.ballot.points } : {}),
      method,
    },
  };
}
