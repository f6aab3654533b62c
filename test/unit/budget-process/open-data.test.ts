import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromPabulib } from '#shared/domain/budget/from-pabulib.ts';
import { parsePabulib, writePabulib } from '#shared/domain/budget/pabulib.ts';
import { tally } from '#shared/domain/budget/tally.ts';
import { budgetAsPabulib, fileSha256, importedBudget, parsePabulibDate, pabulibRuleName, uuidFromName } from '#shared/domain/budget-process/open-data.ts';
import { phaseOf, resolveWinnerRule } from '#shared/domain/budget-process/process.ts';
import { budgetResults, type StoredBallot } from '#shared/domain/budget-process/results.ts';
import { receiptOf } from '#shared/domain/budget-process/secrecy.ts';
import { at, project, ternopilBudget } from './fixtures.ts';

const PABULIB = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/pabulib');
const FILES = ['Poland_Krakow_2022_Stare_Miasto.pb', 'Poland_Swiecie_2023.pb', 'Poland_Warszawa_2018_Nadwisle.pb', 'Poland_Warszawa_2023_Rembertow.pb'];
const context = { unit: 'Тернопіль', country: 'Ukraine', timeZone: 'Europe/Kyiv' };

describe('import and export of real Pabulib elections (pure)', () => {
  it.each(FILES)('%s: the stored form counts to the selected projects and writes back the same election', (name) => {
    const text = readFileSync(resolve(PABULIB, name), 'utf8');
    const original = parsePabulib(text);
    const now = new Date('2026-01-01T00:00:00Z');
    const decision = importedBudget(original, { id: uuidFromName(`ternopil\u0000${fileSha256(text)}`), community: 'ternopil', createdBy: 'council-1', fileSha256: fileSha256(text), now });
    if (!decision.ok) throw new Error(decision.message);
    const { process, projects, ballots, recount } = decision.value;
    expect(recount.matchesFile).toBe(true);
    expect(phaseOf(process, now)).toBe('implementation');
    const complete = { ...process, origin: { ...process.origin!, complete: true } };
    const results = budgetResults(complete, projects, ballots, { computedAt: now, publishedAt: null });
    const selected = original.projects.filter((p) => p.selected === 1).map((p) => p.projectId);
    expect([...results.winners].sort()).toEqual([...selected].sort());
    const exported = parsePabulib(writePabulib(budgetAsPabulib(complete, projects, ballots, results, context)));
    expect(exported).toEqual(original);
  });

  it('reads Pabulib dates; derives the same UUID for the same name', () => {
    expect(parsePabulibDate('30.09.2022')?.toISOString()).toBe('2022-09-30T00:00:00.000Z');
    expect(parsePabulibDate('31.02.2022')).toBeNull();
    expect(parsePabulibDate('2023-06-15')?.toISOString()).toBe('2023-06-15T00:00:00.000Z');
    expect(uuidFromName('a')).toBe(uuidFromName('a'));
    expect(uuidFromName('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('names the rules as Pabulib does', () => {
    expect(pabulibRuleName(resolveWinnerRule({ name: 'equal-shares', utility: 'cost', completion: 'add1', comparison: 'greedy' }))).toBe('equalshares/add1-comparison');
    expect(pabulibRuleName(resolveWinnerRule({ name: 'equal-shares', utility: 'cost', completion: 'none', comparison: 'none' }))).toBe('equalshares');
    expect(pabulibRuleName(resolveWinnerRule({ name: 'greedy-threshold', rankBy: 'votes', minimum: 3 }))).toBe('greedy-threshold');
  });
});

describe('export of a budget run on the platform', () => {
  const admitted = (overrides: Parameters<typeof project>[1]) => ({ review: { feasible: true, reason: 'ok', finalCost: null as number | null, reviewedAt: at(15).toISOString() }, ...overrides });

  it('META carries the rule, ballot limits and tie-breaking; VOTES the receipts; a recount of the file gives the same winners', () => {
    const budget = ternopilBudget({
      money: { currency: 'UAH', total: 10_000 },
      schedule: { submission: at(-1).toISOString(), review: at(14).toISOString(), voting: at(21).toISOString(), results: at(35).toISOString(), implementation: at(60).toISOString() },
      preSupport: { required: 0 },
      ballotRules: { type: 'approval', projects: { min: 1, max: 3 } },
      rule: { name: 'equal-shares', utility: 'cost', completion: 'add1', comparison: 'none' },
    });
    const costs = [4_000, 3_000, 2_500, 2_000, 1_000];
    const projects = costs.map((cost, i) => {
      const p = project(budget, admitted({ id: String(i + 1), ord: i + 1, cost, category: null, title: `Project ${i + 1}` }));
      return { ...p, review: { ...p.review!, finalCost: cost } };
    });
    const rejected = project(budget, { id: '6', ord: 6, category: null, review: { feasible: false, reason: 'no', finalCost: null, reviewedAt: at(15).toISOString() } });
    const choices = [['1', '2'], ['1'], ['3', '4'], ['4', '5'], ['2', '5'], ['1', '3', '5'], ['2'], ['5']];
    const ballots: StoredBallot[] = choices.map((projectIds, i) => ({ receipt: receiptOf(randomUUID()), projects: projectIds, method: i === 0 ? 'paper' : 'internet' }));
    const results = budgetResults(budget, [...projects, rejected], ballots, { computedAt: at(36), publishedAt: at(36) });
    const text = writePabulib(budgetAsPabulib(budget, [...projects, rejected], ballots, results, context));
    const file = parsePabulib(text);
    expect(file.meta).toMatchObject({ description: budget.title, country: 'Ukraine', unit: 'Тернопіль', instance: '2026', numProjects: 5, numVotes: 8, budget: 10_000, voteType: 'approval', rule: 'equalshares/add1', minLength: 1, maxLength: 3 });
    expect(file.meta.extra).toMatchObject({ currency: 'UAH', tie_breaking: 'lower-cost,more-votes,list-order', date_begin: '22.03.2026', date_end: '05.04.2026' });
    expect(JSON.parse(file.meta.extra.rule_parameters!)).toEqual(budget.rule);
    expect(file.projects.map((p) => p.projectId)).toEqual(['1', '2', '3', '4', '5']);
    expect(file.projects.filter((p) => p.selected === 1).map((p) => p.projectId).sort()).toEqual([...results.winners].sort());
    expect(new Set(file.votes.map((v) => v.voterId))).toEqual(new Set(ballots.map((b) => b.receipt)));
    expect(file.votes.filter((v) => v.extra.voting_method === 'paper')).toHaveLength(1);
    expect([...tally(fromPabulib(file)).winners].sort()).toEqual([...results.winners].sort());
  });
});
