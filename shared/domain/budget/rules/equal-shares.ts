/**
 * Method of Equal Shares (MES) for approval-type ballots, in exact arithmetic.
 *
 * Every voter gets an equal share of the budget. A project is bought by its supporters: each pays
 * the same amount rho, or everything they have left if that is less. In each round the project
 * with the lowest price is bought: with approval utility the price is rho itself, with cost
 * utility (equalshares.net and Pabulib's default) it is rho / cost, the payment per unit of
 * utility. Ties go to the tie-breaking order. Rounds end when no project can be paid for.
 *
 * Add1 completion: MES usually leaves money unspent, so it is rerun with a larger share per voter,
 * starting from floor(budget / voters) and adding one currency unit per voter each step, and the
 * last outcome whose cost fits the real budget is kept (stop when the next step would not fit).
 * The `add1-exhaustive` variant also stops as soon as the outcome is exhaustive: no unselected
 * project fits in the money left. Both also stop once every project with a supporter is funded,
 * since no further step can fund more (this also bounds the loop).
 *
 * Exactness and speed. Shares are fractions with ever larger denominators, so money is bigint.
 * Two observations keep that cheap, which matters because Add1 reruns MES hundreds of times:
 * - Voters with identical ballots always have identical budgets, so they are one weighted group.
 * - A voter's budget depends only on the payments made so far. Voters are kept in "budget
 *   classes" (one bigint per class, not per voter); pricing a project aggregates its supporting
 *   groups by class with plain integer arithmetic and then does bigint work per class only.
 * All class budgets share one denominator; a payment that does not divide evenly multiplies it,
 * and classes are rescaled lazily when next read. Finally, a project's price never falls as budgets
 * shrink, so the last computed price is a lower bound: projects are scanned in order of that bound
 * and the scan stops once the bound exceeds the best price found (as in equalshares.net's tool).
 */

import type { CountedProject } from '../counting.ts';
import { selectGreedy } from './greedy.ts';

export type EqualSharesUtility = 'cost' | 'approval';
export type EqualSharesCompletion = 'none' | 'add1' | 'add1-exhaustive';

export interface EqualSharesOptions {
  readonly utility: EqualSharesUtility;
  readonly completion: EqualSharesCompletion;
  /**
   * 'greedy': also compute greedy (by votes, skipping what does not fit, ties in list order) and
   * take its outcome if strictly more voters prefer it, where a voter prefers the outcome that
   * funds more of the projects they approved (equalshares.net's "satisfaction" comparison, as in
   * Pabulib's equalshares/add1-comparison). Voters indifferent between the two are not counted.
   */
  readonly comparison: 'none' | 'greedy';
}

export interface EqualSharesOutcome {
  readonly winners: readonly CountedProject[];
  readonly voters: number;
  /** Share per voter in the final MES run: budget / voters, or the Add1 amount. */
  readonly perVoterBudget: { readonly numerator: number; readonly denominator: number };
  /** Number of one-unit increments Add1 kept. */
  readonly add1Steps: number;
  readonly equalSharesWinners: readonly CountedProject[];
  readonly comparison?: {
    readonly greedyWinners: readonly CountedProject[];
    readonly prefersEqualShares: number;
    readonly prefersGreedy: number;
    readonly chosen: 'equal-shares' | 'greedy';
  };
}

/** An exact non-negative fraction; den > 0. */
interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

function compareFractions(a: Fraction, b: Fraction): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Voters grouped by identical approval sets. */
interface ApprovalProfile {
  readonly voterCount: number;
  /** Voters in each group. */
  readonly groupWeights: Int32Array;
  /** For each project, the groups that approve it. */
  readonly supporters: readonly Int32Array[];
}

function approvalProfile(projectCount: number, approvals: readonly (readonly number[])[]): ApprovalProfile {
  const groupOf = new Map<string, number>();
  const weights: number[] = [];
  const members: number[][] = Array.from({ length: projectCount }, () => []);
  for (const approved of approvals) {
    if (approved.length === 0) continue; // still a voter (counted below) whose share funds nothing
    const key = [...approved].sort((a, b) => a - b).join(',');
    let group = groupOf.get(key);
    if (group === undefined) {
      group = weights.length;
      groupOf.set(key, group);
      weights.push(0);
      for (const project of approved) members[project]!.push(group);
    }
    weights[group]! += 1;
  }
  return {
    voterCount: approvals.length,
    groupWeights: Int32Array.from(weights),
    supporters: members.map((groups) => Int32Array.from(groups)),
  };
}

const EMPTY = 0; // budget class of voters with nothing left
const UNTOUCHED = 1; // budget class of voters who have paid nothing yet

/**
 * A double close to num / den (relative error below 1e-15), also when the bigints are too large
 * for a double. Used only to skip exact comparisons whose outcome is already certain.
 */
function approximate(num: bigint, den: bigint): number {
  const n = Number(num);
  const d = Number(den);
  if (Number.isFinite(n) && Number.isFinite(d)) return n / d;
  const keep = (x: bigint) => BigInt(Math.max(0, x.toString(16).length * 4 - 64));
  const shiftN = keep(num);
  const shiftD = keep(den);
  return (Number(num >> shiftN) / Number(den >> shiftD)) * 2 ** Number(shiftN - shiftD);
}

/**
 * Two doubles this far apart (relatively) order the exact values they approximate. The margin
 * dwarfs the approximation error (< 1e-15), so a comparison decided by it is exact.
 */
const CERTAIN_MARGIN = 1e-9;

/**
 * Remaining budgets of the voters, one exact value per budget class, as numerators over a common
 * denominator. When the denominator is refined by a factor, classes are rescaled lazily: each
 * remembers the epoch it was last written in, and scaleSince[epoch] is the factor since then.
 * Each class also keeps a double approximation of its budget for quick comparisons.
 */
class VoterBudgets {
  private readonly numerators: bigint[];
  private readonly epochs: number[];
  private readonly approximations: number[];
  private readonly scaleSince: bigint[] = [1n];
  denominator: bigint;

  constructor(perVoter: Fraction) {
    this.numerators = [0n, perVoter.num];
    this.epochs = [0, 0];
    this.approximations = [0, approximate(perVoter.num, perVoter.den)];
    this.denominator = perVoter.den;
  }

  get classCount(): number {
    return this.numerators.length;
  }

  /** The budget of a class, as a numerator over the current denominator. */
  numerator(budgetClass: number): bigint {
    const epoch = this.epochs[budgetClass]!;
    const current = this.scaleSince.length - 1;
    if (epoch !== current) {
      this.numerators[budgetClass]! *= this.scaleSince[epoch]!;
      this.epochs[budgetClass] = current;
    }
    return this.numerators[budgetClass]!;
  }

  /**
   * Whether the class's budget is below share = shareNumerator / (payers * denominator).
   * `approxShare` approximates the share; the exact test runs only when the doubles are close.
   * (Shares are at least cost / supporters, so never so small that doubles lose precision.)
   */
  isBelow(budgetClass: number, shareNumerator: bigint, payers: bigint, approxShare: number): boolean {
    const approx = this.approximations[budgetClass]!;
    if (approx > approxShare * (1 + CERTAIN_MARGIN)) return false;
    if (approx < approxShare * (1 - CERTAIN_MARGIN)) return true;
    return this.numerator(budgetClass) * payers < shareNumerator;
  }

  addClass(numerator: bigint): number {
    this.numerators.push(numerator);
    this.epochs.push(this.scaleSince.length - 1);
    this.approximations.push(approximate(numerator, this.denominator));
    return this.numerators.length - 1;
  }

  refineDenominator(factor: bigint): void {
    if (factor === 1n) return;
    for (let epoch = 0; epoch < this.scaleSince.length; epoch++) this.scaleSince[epoch]! *= factor;
    this.scaleSince.push(1n);
    this.denominator *= factor;
  }
}

/** What buying a project would take from its supporters. */
interface Offer {
  /** Cost left after supporters who cannot pay the full share gave all they had (numerator). */
  readonly remaining: bigint;
  /** Supporters paying the full share rho = remaining / (payers * denominator). */
  readonly payers: number;
  /** rho (approval utility) or rho / cost (cost utility): lower is better. */
  readonly price: Fraction;
}

/** One category's MES instance, prepared once and run for many per-voter budgets. */
class EqualSharesInstance {
  private readonly costs: bigint[];
  private readonly initialLowerBounds: Fraction[];
  private readonly initialQueue: number[];
  private readonly touched: Int32Array;
  private weightOf = new Int32Array(64);

  constructor(
    private readonly profile: ApprovalProfile,
    projects: readonly CountedProject[],
    private readonly utility: EqualSharesUtility,
    private readonly tieBreak: (a: number, b: number) => number,
  ) {
    this.costs = projects.map((p) => BigInt(p.cost));
    // With everyone's full budget the price is cost / supporters (rho) or 1 / supporters.
    this.initialLowerBounds = profile.supporters.map((groups, j) => {
      const supporters = BigInt(groups.reduce((sum, g) => sum + profile.groupWeights[g]!, 0));
      return { num: utility === 'cost' ? 1n : this.costs[j]!, den: supporters === 0n ? 1n : supporters };
    });
    this.initialQueue = projects
      .map((_, j) => j)
      .filter((j) => profile.supporters[j]!.length > 0)
      .sort((a, b) => this.byLowerBound(this.initialLowerBounds, a, b));
    this.touched = new Int32Array(profile.groupWeights.length + 2);
  }

  private byLowerBound(bounds: readonly Fraction[], a: number, b: number): number {
    return compareFractions(bounds[a]!, bounds[b]!) || this.tieBreak(a, b);
  }

  /** MES with the given share per voter: project indices in the order bought. */
  winners(perVoter: Fraction): number[] {
    const budgets = new VoterBudgets(perVoter);
    const groupClass = new Int32Array(this.profile.groupWeights.length).fill(UNTOUCHED);
    const lowerBounds = [...this.initialLowerBounds];
    let queue = this.initialQueue;
    const winners: number[] = [];
    for (;;) {
      let best = -1;
      let bestOffer: Offer | undefined;
      const unaffordable = new Set<number>();
      let scanned = 0;
      for (; scanned < queue.length; scanned++) {
        const j = queue[scanned]!;
        if (bestOffer && compareFractions(lowerBounds[j]!, bestOffer.price) > 0) break;
        const offer = this.offer(j, budgets, groupClass);
        if (!offer) {
          unaffordable.add(j); // budgets only shrink: it stays unaffordable
          continue;
        }
        lowerBounds[j] = offer.price;
        const order = bestOffer ? compareFractions(offer.price, bestOffer.price) || this.tieBreak(j, best) : -1;
        if (order < 0) {
          best = j;
          bestOffer = offer;
        }
      }
      if (!bestOffer) return winners;
      winners.push(best);
      this.pay(best, bestOffer, budgets, groupClass);
      const rescanned = queue
        .slice(0, scanned)
        .filter((j) => j !== best && !unaffordable.has(j))
        .sort((a, b) => this.byLowerBound(lowerBounds, a, b));
      queue = this.merge(rescanned, queue.slice(scanned), lowerBounds);
    }
  }

  private merge(a: readonly number[], b: readonly number[], bounds: readonly Fraction[]): number[] {
    const merged: number[] = [];
    let i = 0;
    let k = 0;
    while (i < a.length && k < b.length) {
      merged.push(this.byLowerBound(bounds, a[i]!, b[k]!) <= 0 ? a[i++]! : b[k++]!);
    }
    while (i < a.length) merged.push(a[i++]!);
    while (k < b.length) merged.push(b[k++]!);
    return merged;
  }

  private weightsFor(classCount: number): Int32Array {
    if (this.weightOf.length < classCount) {
      const grown = new Int32Array(Math.max(classCount, this.weightOf.length * 2));
      grown.set(this.weightOf);
      this.weightOf = grown;
    }
    return this.weightOf;
  }

  /** The price of project j now, or undefined if its supporters cannot pay for it. */
  private offer(j: number, budgets: VoterBudgets, groupClass: Int32Array): Offer | undefined {
    const touched = this.touched;
    const weightOf = this.weightsFor(budgets.classCount);
    const groupWeights = this.profile.groupWeights;
    let classes = 0;
    let payers = 0;
    for (const group of this.profile.supporters[j]!) {
      const budgetClass = groupClass[group]!;
      if (budgetClass === EMPTY) continue;
      const weight = groupWeights[group]!;
      if (weightOf[budgetClass] === 0) touched[classes++] = budgetClass;
      weightOf[budgetClass]! += weight;
      payers += weight;
    }
    // Supporters who cannot pay the equal share pay all they have, which raises the share for
    // the others; repeat until everyone left can pay it. Each pass tests against the share at
    // its start, which is never above the final share, so every capped class truly is capped.
    let remaining = this.costs[j]! * budgets.denominator;
    let payersBig = BigInt(payers);
    let active = classes;
    let capped = true;
    while (capped && payers > 0) {
      capped = false;
      const shareNumerator = remaining;
      const sharePayers = payersBig;
      const approxShare = approximate(remaining, payersBig * budgets.denominator);
      for (let i = 0; i < active && payers > 0; ) {
        const budgetClass = touched[i]!;
        if (budgets.isBelow(budgetClass, shareNumerator, sharePayers, approxShare)) {
          const weight = weightOf[budgetClass]!;
          remaining -= budgets.numerator(budgetClass) * BigInt(weight);
          payers -= weight;
          payersBig = BigInt(payers);
          touched[i] = touched[--active]!; // move it past the active part, keeping it listed
          touched[active] = budgetClass;
          capped = true;
        } else {
          i++;
        }
      }
    }
    for (let i = 0; i < classes; i++) weightOf[touched[i]!] = 0;
    if (payers === 0) return undefined;
    const rhoDenominator = payersBig * budgets.denominator;
    return {
      remaining,
      payers,
      price: { num: remaining, den: this.utility === 'cost' ? rhoDenominator * this.costs[j]! : rhoDenominator },
    };
  }

  private pay(j: number, offer: Offer, budgets: VoterBudgets, groupClass: Int32Array): void {
    // rho = remaining / (payers * D) = share / D' with D' = D * payers / g, g = gcd(remaining, payers).
    const divisor = gcd(Number(offer.remaining % BigInt(offer.payers)), offer.payers);
    const share = offer.remaining / BigInt(divisor);
    budgets.refineDenominator(BigInt(offer.payers / divisor));
    const movedTo = new Map<number, number>();
    for (const group of this.profile.supporters[j]!) {
      const budgetClass = groupClass[group]!;
      if (budgetClass === EMPTY) continue;
      let next = movedTo.get(budgetClass);
      if (next === undefined) {
        const left = budgets.numerator(budgetClass) - share;
        next = left > 0n ? budgets.addClass(left) : EMPTY;
        movedTo.set(budgetClass, next);
      }
      groupClass[group] = next;
    }
  }
}

function totalCost(projects: readonly CountedProject[], chosen: readonly number[]): number {
  return chosen.reduce((sum, j) => sum + projects[j]!.cost, 0);
}

/** Voters (weighted groups) who see more of their approved projects funded by a than by b, and vice versa. */
function countPreferences(
  profile: ApprovalProfile,
  a: readonly number[],
  b: readonly number[],
): { prefersA: number; prefersB: number } {
  const fundedInA = new Int32Array(profile.groupWeights.length);
  const fundedInB = new Int32Array(profile.groupWeights.length);
  for (const j of a) for (const group of profile.supporters[j]!) fundedInA[group]! += 1;
  for (const j of b) for (const group of profile.supporters[j]!) fundedInB[group]! += 1;
  let prefersA = 0;
  let prefersB = 0;
  profile.groupWeights.forEach((weight, group) => {
    if (fundedInA[group]! > fundedInB[group]!) prefersA += weight;
    else if (fundedInB[group]! > fundedInA[group]!) prefersB += weight;
  });
  return { prefersA, prefersB };
}

/**
 * Runs MES (with the chosen completion and comparison) on one budget.
 * `approvals[v]` lists the indices into `projects` approved by voter v.
 */
export function selectEqualShares(
  projects: readonly CountedProject[],
  approvals: readonly (readonly number[])[],
  budget: number,
  options: EqualSharesOptions,
  tieBreak: (a: CountedProject, b: CountedProject) => number,
): EqualSharesOutcome {
  const profile = approvalProfile(projects.length, approvals);
  const instance = new EqualSharesInstance(profile, projects, options.utility, (a, b) =>
    tieBreak(projects[a]!, projects[b]!),
  );
  const voters = profile.voterCount;

  let chosen: number[] = [];
  let perVoterBudget = { numerator: 0, denominator: 1 };
  let add1Steps = 0;
  if (voters > 0 && options.completion === 'none') {
    const divisor = gcd(budget, voters);
    perVoterBudget = { numerator: budget / divisor, denominator: voters / divisor };
    chosen = instance.winners({ num: BigInt(budget), den: BigInt(voters) });
  } else if (voters > 0) {
    const supported = profile.supporters.filter((groups) => groups.length > 0).length;
    const isExhaustive = (outcome: readonly number[]) => {
      const left = budget - totalCost(projects, outcome);
      return projects.every((p, j) => p.cost > left || outcome.includes(j));
    };
    let perVoter = Math.floor(budget / voters);
    chosen = instance.winners({ num: BigInt(perVoter), den: 1n });
    while (chosen.length < supported && !(options.completion === 'add1-exhaustive' && isExhaustive(chosen))) {
      const next = instance.winners({ num: BigInt(perVoter + 1), den: 1n });
      if (totalCost(projects, next) > budget) break;
      perVoter += 1;
      add1Steps += 1;
      chosen = next;
    }
    perVoterBudget = { numerator: perVoter, denominator: 1 };
  }

  const equalSharesWinners = chosen.map((j) => projects[j]!);
  const outcome = { winners: equalSharesWinners, voters, perVoterBudget, add1Steps, equalSharesWinners };
  if (options.comparison === 'none') return outcome;

  const greedy = selectGreedy(
    projects,
    budget,
    { rankBy: 'votes', whenTooExpensive: 'skip', minimum: 0, maxWinners: Number.POSITIVE_INFINITY },
    (a, b) => a.listIndex - b.listIndex,
  ).winners;
  const indexOf = new Map(projects.map((p, j) => [p, j]));
  const { prefersA: prefersGreedy, prefersB: prefersEqualShares } = countPreferences(
    profile,
    greedy.map((p) => indexOf.get(p)!),
    chosen,
  );
  const chosenRule = prefersGreedy > prefersEqualShares ? 'greedy' : 'equal-shares';
  return {
    ...outcome,
    winners: chosenRule === 'greedy' ? greedy : equalSharesWinners,
    comparison: { greedyWinners: greedy, prefersEqualShares, prefersGreedy, chosen: chosenRule },
  };
}
