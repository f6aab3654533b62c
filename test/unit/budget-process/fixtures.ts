import type { Principal } from '#shared/auth/roles.ts';
import { ternopil } from '#shared/domain/community.ts';
import { newBudgetProcess, type BudgetProcess, type NewBudgetInput } from '#shared/domain/budget-process/process.ts';
import type { BudgetProject } from '#shared/domain/budget-process/project.ts';

export const day = 86_400_000;
export const NOW = new Date('2026-03-01T10:00:00Z');
export const at = (offsetDays: number) => new Date(NOW.getTime() + offsetDays * day);
export const iso = (offsetDays: number) => at(offsetDays).toISOString();

/**
 * Ternopil's public budget as the council would define it: two categories with their own money,
 * one large and one small project per ballot, winners by votes within each category's money with
 * a minimum of 500 (large) and 300 (small) votes. Phases a week apart from NOW: submission now,
 * pre-support from +7, review from +14, voting +21 to +35, implementation from +60.
 */
export function ternopilInput(overrides: Partial<NewBudgetInput> = {}): NewBudgetInput {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    community: ternopil,
    createdBy: 'council-1',
    markerKeyId: 'k1',
    kind: 'public',
    title: 'Громадський бюджет Тернополя 2026',
    money: {
      currency: 'UAH',
      total: 30_000_000,
      categories: [
        { id: 'large', name: 'Великі проєкти', amount: 20_000_000 },
        { id: 'small', name: 'Малі проєкти', amount: 10_000_000 },
      ],
    },
    schedule: { submission: iso(-1), preSupport: iso(7), review: iso(14), voting: iso(21), results: iso(35), implementation: iso(60) },
    ballotRules: { type: 'approval', perCategory: { large: { min: 1, max: 1 }, small: { min: 1, max: 1 } } },
    rule: { name: 'fixed-winners-per-category', rankBy: 'votes', categories: { large: { winners: 100, minimum: 500 }, small: { winners: 100, minimum: 300 } } },
    ...overrides,
  };
}

export function ternopilBudget(overrides: Partial<NewBudgetInput> = {}): BudgetProcess {
  const decision = newBudgetProcess(ternopilInput(overrides), NOW);
  if (!decision.ok) throw new Error(`${decision.code}: ${decision.message}`);
  return decision.value;
}

export function schoolBudget(): BudgetProcess {
  return ternopilBudget({
    id: '22222222-2222-4222-8222-222222222222',
    kind: 'school',
    schoolId: 'school-5',
    students: 600,
    title: 'Шкільний бюджет, школа №5',
    money: { total: 80_000 },
    schedule: { submission: iso(-1), review: iso(14), voting: iso(21), results: iso(35), implementation: iso(60) },
    ballotRules: { type: 'choose-1' },
    rule: { name: 'greedy', rankBy: 'votes' },
  });
}

export const citizen = (overrides: Partial<Principal> = {}): Principal => ({
  sub: 'olena', roles: ['citizen'], community: 'ternopil', birthdate: '1990-05-01', ...overrides,
});

export function project(budget: BudgetProcess, overrides: Partial<BudgetProject> = {}): BudgetProject {
  return {
    budgetId: budget.id, id: '1', ord: 1, community: budget.community, authorSub: 'author', title: 'Лавки в парку',
    description: 'Двадцять нових лавок уздовж алей парку Шевченка.', cost: 500_000, category: 'small', submittedAt: iso(0),
    supportCount: 0, review: null, implementation: null, pabulibColumns: null, ...overrides,
  };
}
