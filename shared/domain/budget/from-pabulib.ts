/**
 * Maps a Pabulib election to a tally input, so that tally(fromPabulib(parsePabulib(text)))
 * recounts the file and can be checked against its `selected` column.
 */

import type { Ballot, BallotRules } from './ballot.ts';
import type { PbElection, PbMeta } from './pabulib.ts';
import type { TallyInput, WinnerRule } from './tally.ts';

export class PabulibMappingError extends Error {
  override readonly name = 'PabulibMappingError';
}

function countLimits(meta: PbMeta) {
  return { min: meta.minLength ?? 1, ...(meta.maxLength !== undefined && { max: meta.maxLength }) };
}

function ballotRules(meta: PbMeta): BallotRules {
  switch (meta.voteType) {
    case 'approval':
      return meta.maxSumCost === undefined
        ? { type: 'approval', projects: countLimits(meta) }
        : { type: 'knapsack', maxTotalCost: meta.maxSumCost, projects: countLimits(meta) };
    case 'ordinal':
      return { type: 'ordinal', minLength: meta.minLength ?? 1, maxLength: meta.maxLength ?? meta.numProjects };
    case 'cumulative':
      if (meta.maxSumPoints === undefined) throw new PabulibMappingError('cumulative votes need META max_sum_points');
      return {
        type: 'cumulative',
        maxSumPoints: meta.maxSumPoints,
        projects: countLimits(meta),
        ...(meta.maxPoints !== undefined && { maxPointsPerProject: meta.maxPoints }),
      };
    case 'choose-1':
      return { type: 'choose-1' };
    case 'scoring':
      throw new PabulibMappingError('scoring votes (which may give negative points) are not supported');
  }
}

/**
 * Pabulib rule names. Greedy ranks approval-type ballots by votes and points-based ballots by
 * score; MES uses cost utility, as equalshares.net does and as reproduces Świecie 2023.
 */
function winnerRule(meta: PbMeta, rankBy: 'votes' | 'score'): WinnerRule {
  switch (meta.rule) {
    case 'greedy':
      return { name: 'greedy', rankBy };
    case 'greedy-no-skip':
      return { name: 'greedy-no-skip', rankBy };
    case 'greedy-threshold':
      if (meta.minProjectScoreThreshold === undefined) {
        throw new PabulibMappingError('rule greedy-threshold needs META min_project_score_threshold');
      }
      return { name: 'greedy-threshold', rankBy, minimum: meta.minProjectScoreThreshold };
    case 'equalshares':
      return { name: 'equal-shares', utility: 'cost', completion: 'none', comparison: 'none' };
    case 'equalshares/add1':
      return { name: 'equal-shares', utility: 'cost', completion: 'add1', comparison: 'none' };
    case 'equalshares/add1-comparison':
      return { name: 'equal-shares', utility: 'cost', completion: 'add1', comparison: 'greedy' };
    default:
      throw new PabulibMappingError(`rule "${meta.rule}" is not supported`);
  }
}

/**
 * The tally input for a Pabulib election. The PROJECTS `category` column is thematic (a comma
 * list), not a split of the money, so the budget is taken as a whole.
 */
export function fromPabulib(election: PbElection): TallyInput {
  const rules = ballotRules(election.meta);
  const rankBy = rules.type === 'ordinal' || rules.type === 'cumulative' ? 'score' : 'votes';
  const ballots = election.votes.map(
    (vote): Ballot =>
      rules.type === 'cumulative' ? { projects: vote.vote, points: vote.points ?? [] } : { projects: vote.vote },
  );
  return {
    ballotRules: rules,
    projects: election.projects.map((p) => ({ id: p.projectId, cost: p.cost })),
    ballots,
    budget: { total: election.meta.budget },
    rule: winnerRule(election.meta, rankBy),
  };
}
