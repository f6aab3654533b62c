/**
 * A deliberately naive Method of Equal Shares: one exact rational budget per voter, supporters
 * sorted by budget to find rho, every project priced every round. It shares no code with the
 * engine in shared/domain/budget, so agreement between the two is evidence both are right.
 */

interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function rational(n: bigint, d = 1n): Rational {
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

const add = (a: Rational, b: Rational) => rational(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a: Rational, b: Rational) => rational(a.n * b.d - b.n * a.d, a.d * b.d);
const div = (a: Rational, b: Rational) => rational(a.n * b.d, a.d * b.n);
const compare = (a: Rational, b: Rational) => {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
};

export function referenceEqualShares(
  costs: readonly number[],
  approvals: readonly (readonly number[])[],
  perVoter: { numerator: number; denominator: number },
  utility: 'cost' | 'approval',
  tieBreak: (a: number, b: number) => number,
): number[] {
  const budgets = approvals.map(() => rational(BigInt(perVoter.numerator), BigInt(perVoter.denominator)));
  const open = new Set(costs.map((_, j) => j));
  const winners: number[] = [];
  for (;;) {
    let best: { project: number; rho: Rational; price: Rational } | undefined;
    for (const j of open) {
      const cost = rational(BigInt(costs[j]!));
      const supporters = approvals.flatMap((approved, voter) => (approved.includes(j) ? [voter] : []));
      const money = supporters.reduce((sum, v) => add(sum, budgets[v]!), rational(0n));
      if (supporters.length === 0 || compare(money, cost) < 0) continue;
      supporters.sort((a, b) => compare(budgets[a]!, budgets[b]!));
      let paid = rational(0n);
      let payers = supporters.length;
      for (const voter of supporters) {
        const rho = div(sub(cost, paid), rational(BigInt(payers)));
        if (compare(budgets[voter]!, rho) >= 0) break;
        paid = add(paid, budgets[voter]!);
        payers -= 1;
      }
      const rho = div(sub(cost, paid), rational(BigInt(payers)));
      const price = utility === 'cost' ? div(rho, cost) : rho;
      if (!best || compare(price, best.price) < 0 || (compare(price, best.price) === 0 && tieBreak(j, best.project) < 0)) {
        best = { project: j, rho, price };
      }
    }
    if (!best) return winners;
    winners.push(best.project);
    open.delete(best.project);
    approvals.forEach((approved, voter) => {
      if (!approved.includes(best.project)) return;
      const left = sub(budgets[voter]!, best.rho);
      budgets[voter] = left.n > 0n ? left : rational(0n);
    });
  }
}

/** Add1 as documented in rules/equal-shares.ts, on top of the naive MES. */
export function referenceAdd1(
  costs: readonly number[],
  approvals: readonly (readonly number[])[],
  budget: number,
  utility: 'cost' | 'approval',
  stopWhenExhaustive: boolean,
  tieBreak: (a: number, b: number) => number,
): number[] {
  const voters = approvals.length;
  if (voters === 0) return [];
  const cost = (outcome: readonly number[]) => outcome.reduce((sum, j) => sum + costs[j]!, 0);
  const supported = costs.filter((_, j) => approvals.some((a) => a.includes(j))).length;
  const run = (perVoter: number) => referenceEqualShares(costs, approvals, { numerator: perVoter, denominator: 1 }, utility, tieBreak);
  let perVoter = Math.floor(budget / voters);
  let outcome = run(perVoter);
  for (;;) {
    const left = budget - cost(outcome);
    const exhaustive = costs.every((c, j) => c > left || outcome.includes(j));
    if (outcome.length === supported || (stopWhenExhaustive && exhaustive)) return outcome;
    const next = run(perVoter + 1);
    if (cost(next) > budget) return outcome;
    perVoter += 1;
    outcome = next;
  }
}
