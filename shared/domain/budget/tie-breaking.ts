/**
 * How exact ties between projects are broken. A tie-breaking order is a list of criteria applied
 * in turn; `list-order` (the official order of the project list) always comes last, so the order
 * is total and a tally is deterministic. The normalized list is stored with every result.
 */

import type { CountedProject } from './counting.ts';

export type TieBreaker =
  | 'lower-cost'
  | 'higher-cost'
  | 'more-votes'
  | 'higher-score'
  | 'list-order'
  /** Project ids in the order of a lot drawn before counting; ids not listed come after. */
  | { readonly lot: readonly string[] };

/** Greedy keeps the official list order for exact ties. */
export const GREEDY_TIE_BREAKING: readonly TieBreaker[] = ['list-order'];

/** Method of Equal Shares practice: lower cost, then more votes, then the list. */
export const EQUAL_SHARES_TIE_BREAKING: readonly TieBreaker[] = ['lower-cost', 'more-votes', 'list-order'];

/** Appends `list-order` unless the list already ends with it. */
export function normalizeTieBreaking(order: readonly TieBreaker[]): TieBreaker[] {
  return order.at(-1) === 'list-order' ? [...order] : [...order, 'list-order'];
}

/**
 * A comparator over projects: negative when `a` wins the tie against `b`. Expects a normalized
 * order (ending with list-order), so it returns 0 only for the same project.
 */
export function tieBreakComparator(order: readonly TieBreaker[]): (a: CountedProject, b: CountedProject) => number {
  const criteria = order.map((criterion): ((a: CountedProject, b: CountedProject) => number) => {
    if (typeof criterion === 'object') {
      const position = new Map(criterion.lot.map((id, index) => [id, index]));
      const rank = (p: CountedProject) => position.get(p.id) ?? criterion.lot.length;
      return (a, b) => rank(a) - rank(b);
    }
    switch (criterion) {
      case 'lower-cost':
        return (a, b) => a.cost - b.cost;
      case 'higher-cost':
        return (a, b) => b.cost - a.cost;
      case 'more-votes':
        return (a, b) => b.votes - a.votes;
      case 'higher-score':
        return (a, b) => b.score - a.score;
      case 'list-order':
        return (a, b) => a.listIndex - b.listIndex;
    }
  });
  return (a, b) => {
    for (const criterion of criteria) {
      const result = criterion(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
}
