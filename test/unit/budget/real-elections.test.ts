/**
 * The four real Pabulib elections: recounting each file's votes under its own rule must fund
 * exactly the projects the city funded (selected = 1).
 */
import { describe, expect, it } from 'vitest';
import { fromPabulib } from '#shared/domain/budget/from-pabulib.ts';
import { parsePabulib, type PbElection } from '#shared/domain/budget/pabulib.ts';
import { tally } from '#shared/domain/budget/tally.ts';
import { readPabulibFile } from './support/elections.ts';

function load(name: string): PbElection {
  return parsePabulib(readPabulibFile(name));
}

function selected(election: PbElection): string[] {
  return election.projects.filter((p) => p.selected === 1).map((p) => p.projectId);
}

describe('recounting real elections reproduces the selected projects', () => {
  it('Kraków 2022 Stare Miasto: ordinal 3-2-1, greedy by score', () => {
    const election = load('Poland_Krakow_2022_Stare_Miasto.pb');
    const input = fromPabulib(election);
    expect(input.ballotRules).toEqual({ type: 'ordinal', minLength: 3, maxLength: 3 });
    expect(input.rule).toEqual({ name: 'greedy', rankBy: 'score' });
    const result = tally(input);
    expect([...result.winners].sort()).toEqual(selected(election).sort());
    expect(result.winners).toEqual(['36', '1', '20', '11', '29', '28', '13', '12', '22']);
    // 4 (215,000) is the first ranked project that does not fit what 36, 1, 20 and 11 leave.
    const explanation = result.categories[0]!.explanation;
    expect(explanation.kind === 'greedy' && explanation.decisions[4]).toEqual({ projectId: '4', decision: 'does-not-fit' });
  });

  it("Kraków: the file's score column is Borda-like points (max_length - position), recomputed from the votes", () => {
    const election = load('Poland_Krakow_2022_Stare_Miasto.pb');
    const counts = tally(fromPabulib(election)).counts;
    expect(counts.map((c) => [c.projectId, c.votes, c.score])).toEqual(
      election.projects.map((p) => [p.projectId, p.votes, p.score]),
    );
    // The file's own points column holds the same 3-2-1 as the default scoring.
    expect(election.votes.every((v) => v.points?.join() === '3,2,1')).toBe(true);
  });

  it('Świecie 2023: approval, Method of Equal Shares with Add1 (cost utility)', () => {
    const election = load('Poland_Swiecie_2023.pb');
    const input = fromPabulib(election);
    expect(input.rule).toEqual({ name: 'equal-shares', utility: 'cost', completion: 'add1', comparison: 'none' });
    const result = tally(input);
    expect([...result.winners].sort()).toEqual(selected(election).sort());
    expect(result.totalCost).toBe(1_040_337);
    // floor(1,070,000 / 2,553) = 419 per voter; Add1 kept 243 one-zloty steps.
    expect(result.categories[0]!.explanation).toMatchObject({
      kind: 'equal-shares',
      voters: 2553,
      perVoterBudget: { numerator: 662, denominator: 1 },
      add1Steps: 243,
    });
    expect(result.parameters.rule.tieBreaking).toEqual(['lower-cost', 'more-votes', 'list-order']);
  });

  it('Świecie: add1-exhaustive stops earlier (646 per voter) with the same projects here', () => {
    const election = load('Poland_Swiecie_2023.pb');
    const result = tally({ ...fromPabulib(election), rule: { name: 'equal-shares', utility: 'cost', completion: 'add1-exhaustive', comparison: 'none' } });
    expect([...result.winners].sort()).toEqual(selected(election).sort());
    expect(result.categories[0]!.explanation).toMatchObject({ perVoterBudget: { numerator: 646, denominator: 1 } });
  });

  it('Warszawa 2018 Nadwiśle: approval with a cost limit, greedy with a 16-vote threshold', () => {
    const election = load('Poland_Warszawa_2018_Nadwisle.pb');
    const input = fromPabulib(election);
    expect(input.ballotRules).toEqual({ type: 'knapsack', maxTotalCost: 124744, projects: { min: 1 } });
    expect(input.rule).toEqual({ name: 'greedy-threshold', rankBy: 'votes', minimum: 16 });
    const result = tally(input);
    expect([...result.winners].sort()).toEqual(selected(election).sort());
  });

  it('Warszawa 2023 Rembertów: approval (1 to 15 projects), greedy by votes', () => {
    const election = load('Poland_Warszawa_2023_Rembertow.pb');
    const result = tally(fromPabulib(election));
    expect([...result.winners].sort()).toEqual(selected(election).sort());
    expect(result.counts.map((c) => c.votes)).toEqual(election.projects.map((p) => p.votes));
    expect(result.totalCost).toBeLessThanOrEqual(election.meta.budget);
  });
});
