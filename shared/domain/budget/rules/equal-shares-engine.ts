/**
 * One run of the Method of Equal Shares with a given share per voter, exact and fast.
 *
 * Every voter starts with the same budget. A project is bought by its supporters: each pays the
 * same amount rho, or everything they have left if that is less. Each round buys the project with
 * the lowest price: rho itself with approval utility, rho / cost with cost utility (the payment
 * per unit of utility). Exact ties go to the tie-breaking order. The run ends when no project can
 * be paid for.
 *
 * Exactness. Payments divide money, so budgets are exact fractions (bigint numerators over a
 * common denominator that grows when a payment does not divide evenly). Every payment made and
 * every decision taken equals what exact rational arithmetic gives.
 *
 * Speed, because Add1 reruns MES hundreds of times:
 * - Voters with identical ballots always have identical budgets: they form one weighted group.
 * - Groups with the same payment history have the same budget: they share one "budget class",
 *   so bigint work is per class, not per voter. Classes are rescaled lazily when the common
 *   denominator changes.
 * - A project's price never falls as budgets shrink, so its last price is a lower bound: projects
 *   are scanned in order of that bound, stopping once it exceeds the best price found.
 * - Floating point as a filter, never as the answer: each class keeps a double approximation of
 *   its budget, and a project's price is first estimated in doubles with a proven error bound
 *   (see `estimate`). Only where the bounds cannot separate the cheapest project from the others
 *   (ties, near ties) and for the project actually bought is the price computed in bigints.
 */

/** An exact non-negative fraction; den > 0. */
export interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

function compareFractions(a: Fraction, b: Fraction): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Voters grouped by identical approval sets. */
export interface ApprovalProfile {
  readonly voterCount: number;
  /** Voters in each group. */
  readonly groupWeights: Int32Array;
  /** For each project, the groups that approve it. */
  readonly supporters: readonly Int32Array[];
}

/** Groups the voters; `approvals[v]` lists the project indices voter v approves. */
export function approvalProfile(projectCount: number, approvals: readonly (readonly number[])[]): ApprovalProfile {
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

/**
 * A double close to num / den (relative error below 1e-15), also when the bigints are too large
 * for a double. Only a budget below 1e-300 could come out less precise, and such a budget is far
 * below any share (a share is at least cost / supporters), so no decision depends on it.
 */
function approximate(num: bigint, den: bigint): number {
  const n = Number(num);
  const d = Number(den);
  if (Number.isFinite(n) && Number.isFinite(d)) return n / d;
  const excessBits = (x: bigint) => BigInt(Math.max(0, x.toString(16).length * 4 - 64));
  const shiftN = excessBits(num);
  const shiftD = excessBits(den);
  return (Number(num >> shiftN) / Number(den >> shiftD)) * 2 ** Number(shiftN - shiftD);
}

/**
 * Doubles this far apart (relatively) order the exact values they approximate to within 1e-15;
 * a comparison they decide is exact.
 */
const CERTAIN_MARGIN = 1e-9;

/**
 * Per-term error allowance of a double sum over budget classes: representation error of each
 * class budget (< 1.1e-15 relative) plus one rounding per operation (1.1e-16), generously.
 */
const TERM_ERROR = 4e-15;

const EMPTY = 0; // budget class of voters with nothing left
const UNTOUCHED = 1; // budget class of voters who have paid nothing yet

/**
 * Remaining budgets of the voters, one exact value per budget class, as numerators over a common
 * denominator. When the denominator is refined by a factor, classes are rescaled lazily: each
 * remembers the epoch it was last written in, and scaleSince[epoch] is the factor since then.
 * Each class also keeps a double approximation of its budget.
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

  approximation(budgetClass: number): number {
    return this.approximations[budgetClass]!;
  }

  /** The exact budget of a class, as a numerator over the current denominator. */
  numerator(budgetClass: number): bigint {
    const epoch = this.epochs[budgetClass]!;
    const current = this.scaleSince.length - 1;
    if (epoch !== current) {
      this.numerators[budgetClass]! *= this.scaleSince[epoch]!;
      this.epochs[budgetClass] = current;
    }
    return this.numerators[budgetClass]!;
  }

  /** Whether the class's budget is below share = shareNumerator / (payers * denominator). */
  isBelow(budgetClass: number, shareNumerator: bigint, payers: bigint, approxShare: number): boolean {
    const approx = this.approximations[budgetClass]!;
    if (approx > approxShare * (1 + CERTAIN_MARGIN)) return false;
    if (approx < approxShare * (1 - CERTAIN_MARGIN)) return true;
    return this.numerator(budgetClass) * payers < shareNumerator;
  }

  /**
   * The sum of weightOf[c] * budget(c) over classes[from, to), as a numerator over the current
   * denominator. Summing per epoch first needs one large multiplication per epoch, not per class.
   */
  weightedSum(classes: Int32Array, from: number, to: number, weightOf: Int32Array): bigint {
    const byEpoch = new Map<number, bigint>();
    for (let i = from; i < to; i++) {
      const budgetClass = classes[i]!;
      const epoch = this.epochs[budgetClass]!;
      const term = this.numerators[budgetClass]! * BigInt(weightOf[budgetClass]!);
      byEpoch.set(epoch, (byEpoch.get(epoch) ?? 0n) + term);
    }
    let total = 0n;
    for (const [epoch, sum] of byEpoch) total += sum * this.scaleSince[epoch]!;
    return total;
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

/** What buying a project takes from its supporters, exactly. */
interface Offer {
  /** Cost left after supporters who cannot pay the full share gave all they had (numerator). */
  readonly remaining: bigint;
  /** Supporters paying the full share rho = remaining / (payers * denominator). */
  readonly payers: number;
  /** rho (approval utility) or rho / cost (cost utility): lower is better. */
  readonly price: Fraction;
}

/** An interval certain to contain a project's exact price. */
interface PriceRange {
  readonly low: number;
  readonly high: number;
}

interface RunState {
  readonly budgets: VoterBudgets;
  /** Budget class of each voter group. */
  readonly groupClass: Int32Array;
  /** Certain lower bound of each project's price (prices only rise during a run). */
  readonly lowerBounds: Float64Array;
}

interface Candidate {
  readonly project: number;
  readonly range: PriceRange;
  readonly exact?: Offer;
}

/** One budget's MES instance, prepared once and run for any share per voter. */
export class EqualSharesEngine {
  private readonly costs: bigint[];
  private readonly costNumbers: number[];
  private readonly initialLowerBounds: Float64Array;
  private readonly initialQueue: number[];
  /** Scratch: the budget classes of one project's supporters, and their weights. */
  private readonly touched: Int32Array;
  private weightOf = new Int32Array(64);
  private nextClass = new Int32Array(64);

  constructor(
    private readonly profile: ApprovalProfile,
    costs: readonly number[],
    private readonly utility: 'cost' | 'approval',
    private readonly tieBreak: (a: number, b: number) => number,
  ) {
    this.costNumbers = [...costs];
    this.costs = costs.map((c) => BigInt(c));
    // With everyone's full budget the price is cost / supporters (rho) or 1 / supporters; it
    // never falls below that. Rounded down a little so the double stays a lower bound.
    this.initialLowerBounds = Float64Array.from(profile.supporters, (groups, j) => {
      const supporters = groups.reduce((sum, g) => sum + profile.groupWeights[g]!, 0);
      return ((utility === 'cost' ? 1 : costs[j]!) / Math.max(supporters, 1)) * (1 - CERTAIN_MARGIN);
    });
    this.initialQueue = costs
      .map((_, j) => j)
      .filter((j) => profile.supporters[j]!.length > 0)
      .sort((a, b) => this.byLowerBound(this.initialLowerBounds, a, b));
    this.touched = new Int32Array(profile.groupWeights.length + 2);
  }

  private byLowerBound(bounds: Float64Array, a: number, b: number): number {
    return bounds[a]! - bounds[b]! || this.tieBreak(a, b);
  }

  /** Project indices in the order bought, with the given share per voter. */
  winners(perVoter: Fraction): number[] {
    const state: RunState = {
      budgets: new VoterBudgets(perVoter),
      groupClass: new Int32Array(this.profile.groupWeights.length).fill(UNTOUCHED),
      lowerBounds: Float64Array.from(this.initialLowerBounds),
    };
    let queue = this.initialQueue;
    const winners: number[] = [];
    for (;;) {
      const round = this.cheapest(queue, state);
      if (!round) return winners;
      winners.push(round.winner);
      this.pay(round.winner, round.offer, state);
      const rescanned = queue
        .slice(0, round.scanned)
        .filter((j) => !round.removed.has(j))
        .sort((a, b) => this.byLowerBound(state.lowerBounds, a, b));
      queue = this.merge(rescanned, queue.slice(round.scanned), state.lowerBounds);
    }
  }

  /**
   * Finds the project to buy next: the lowest exact price, ties broken by tieBreak. Projects
   * found unaffordable, and the winner, are listed in `removed`; `scanned` is how far down the
   * queue prices were recomputed.
   */
  private cheapest(
    queue: readonly number[],
    state: RunState,
  ): { winner: number; offer: Offer; scanned: number; removed: Set<number> } | undefined {
    const removed = new Set<number>(); // budgets only shrink: an unaffordable project stays so
    const candidates: Candidate[] = [];
    let bestHigh = Number.POSITIVE_INFINITY;
    let scanned = 0;
    for (; scanned < queue.length; scanned++) {
      const j = queue[scanned]!;
      if (state.lowerBounds[j]! > bestHigh) break;
      const candidate = this.candidate(j, state);
      if (!candidate) {
        removed.add(j);
        continue;
      }
      state.lowerBounds[j] = candidate.range.low;
      bestHigh = Math.min(bestHigh, candidate.range.high);
      candidates.push(candidate);
    }
    // Only a project whose range reaches down to the best upper bound can be the cheapest; those
    // are compared exactly.
    let best: { project: number; offer: Offer } | undefined;
    for (const { project, range, exact } of candidates) {
      if (range.low > bestHigh) continue;
      const offer = exact ?? this.offer(project, state);
      if (!offer) throw new Error(`MES: project ${project} was certified affordable but is not`);
      if (!best || (compareFractions(offer.price, best.offer.price) || this.tieBreak(project, best.project)) < 0) {
        best = { project, offer };
      }
    }
    if (!best) return undefined;
    removed.add(best.project);
    return { winner: best.project, offer: best.offer, scanned, removed };
  }

  /** Project j's price range, or undefined if it cannot be paid for. */
  private candidate(j: number, state: RunState): Candidate | undefined {
    const estimate = this.estimate(j, state);
    if (estimate === 'unaffordable') return undefined;
    if (estimate !== 'unsure') return { project: j, range: estimate };
    const exact = this.offer(j, state);
    if (!exact) return undefined;
    const approx = approximate(exact.price.num, exact.price.den);
    return { project: j, range: { low: approx * (1 - CERTAIN_MARGIN), high: approx * (1 + CERTAIN_MARGIN) }, exact };
  }

  private merge(a: readonly number[], b: readonly number[], bounds: Float64Array): number[] {
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

  /**
   * Collects project j's supporters by budget class into touched[0, classes) with their weights
   * in weightOf (which the caller must clear with `release`).
   */
  private gather(j: number, state: RunState): { classes: number; payers: number } {
    if (this.weightOf.length < state.budgets.classCount) {
      const size = Math.max(state.budgets.classCount, this.weightOf.length * 2);
      const grown = new Int32Array(size);
      grown.set(this.weightOf);
      this.weightOf = grown;
      this.nextClass = new Int32Array(size);
    }
    const { touched, weightOf } = this;
    const groupWeights = this.profile.groupWeights;
    const groupClass = state.groupClass;
    const supporters = this.profile.supporters[j]!;
    let classes = 0;
    let payers = 0;
    for (let k = 0; k < supporters.length; k++) {
      const group = supporters[k]!;
      const budgetClass = groupClass[group]!;
      if (budgetClass === EMPTY) continue;
      const weight = groupWeights[group]!;
      if (weightOf[budgetClass] === 0) touched[classes++] = budgetClass;
      weightOf[budgetClass]! += weight;
      payers += weight;
    }
    return { classes, payers };
  }

  private release(classes: number): void {
    for (let i = 0; i < classes; i++) this.weightOf[this.touched[i]!] = 0;
  }

  /**
   * Project j's price in doubles, with a certain range, or whether it is certainly unaffordable;
   * 'unsure' when affordability is too close to call.
   *
   * Why the range is certain: let F(x) = sum over supporters of min(budget, x). The exact share
   * rho solves F(rho) = cost. For x below the largest budget, F rises with slope at least 1 (a
   * weight is a whole number of voters), so |x - rho| <= |F(x) - cost| for any x up to the largest
   * budget. The double share x found below never exceeds the largest approximated budget, and
   * F(x) is evaluated in doubles with a bounded error, which bounds |x - rho|.
   */
  private estimate(j: number, state: RunState): PriceRange | 'unaffordable' | 'unsure' {
    const { classes, payers: supporters } = this.gather(j, state);
    const { touched, weightOf } = this;
    const budgets = state.budgets;
    const cost = this.costNumbers[j]!;
    let money = 0;
    let largest = 0;
    for (let i = 0; i < classes; i++) {
      const budget = budgets.approximation(touched[i]!);
      money += weightOf[touched[i]!]! * budget;
      largest = Math.max(largest, budget);
    }
    const termsError = (classes + 4) * TERM_ERROR;
    let result: PriceRange | 'unaffordable' | 'unsure';
    if (money * (1 + termsError) < cost) {
      result = 'unaffordable';
    } else if (money * (1 - termsError) <= cost) {
      result = 'unsure';
    } else {
      // Supporters who cannot pay the equal share pay all they have; repeat until stable.
      let remaining = cost;
      let payers = supporters;
      let active = classes;
      let capped = true;
      while (capped && payers > 0) {
        capped = false;
        const share = remaining / payers;
        for (let i = 0; i < active; ) {
          const budgetClass = touched[i]!;
          const budget = budgets.approximation(budgetClass);
          if (budget < share) {
            remaining -= weightOf[budgetClass]! * budget;
            payers -= weightOf[budgetClass]!;
            touched[i] = touched[--active]!; // keep it listed for release()
            touched[active] = budgetClass;
            capped = true;
          } else {
            i++;
          }
        }
      }
      if (payers === 0) {
        result = 'unsure';
      } else {
        const share = remaining / payers;
        let paid = 0;
        for (let i = 0; i < classes; i++) {
          paid += weightOf[touched[i]!]! * Math.min(budgets.approximation(touched[i]!), share);
        }
        // |share - rho| <= |F(share) - cost| + the error of `paid` + the error of `largest`;
        // doubled to cover rounding in the range arithmetic below.
        const error = 2 * (Math.abs(paid - cost) + termsError * (paid + money) + TERM_ERROR * largest);
        const scale = this.utility === 'cost' ? cost : 1;
        result = { low: (share - error) / scale, high: (share + error) / scale };
      }
    }
    this.release(classes);
    return result;
  }

  /** Project j's exact price, or undefined if its supporters cannot pay for it. */
  private offer(j: number, state: RunState): Offer | undefined {
    const budgets = state.budgets;
    const gathered = this.gather(j, state);
    let payers = gathered.payers;
    const { touched, weightOf } = this;
    // As in `estimate`, in exact arithmetic. Each pass tests against the share at its start,
    // which is never above the final share, so every class it caps truly cannot pay.
    let remaining = this.costs[j]! * budgets.denominator;
    let payersBig = BigInt(payers);
    let active = gathered.classes;
    let capped = true;
    while (capped && payers > 0) {
      const approxShare = approximate(remaining, payersBig * budgets.denominator);
      const activeBefore = active;
      for (let i = 0; i < active && payers > 0; ) {
        const budgetClass = touched[i]!;
        if (budgets.isBelow(budgetClass, remaining, payersBig, approxShare)) {
          payers -= weightOf[budgetClass]!;
          touched[i] = touched[--active]!; // move it past the active part, keeping it listed
          touched[active] = budgetClass;
        } else {
          i++;
        }
      }
      capped = active < activeBefore;
      if (capped) {
        remaining -= budgets.weightedSum(touched, active, activeBefore, weightOf);
        payersBig = BigInt(payers);
      }
    }
    this.release(gathered.classes);
    if (payers === 0) return undefined;
    const rhoDenominator = payersBig * budgets.denominator;
    return {
      remaining,
      payers,
      price: { num: remaining, den: this.utility === 'cost' ? rhoDenominator * this.costs[j]! : rhoDenominator },
    };
  }

  private pay(j: number, offer: Offer, state: RunState): void {
    const { budgets, groupClass } = state;
    // rho = remaining / (payers * D) = share / D' with D' = D * payers / g, g = gcd(remaining, payers).
    const divisor = gcd(Number(offer.remaining % BigInt(offer.payers)), offer.payers);
    const share = offer.remaining / BigInt(divisor);
    budgets.refineDenominator(BigInt(offer.payers / divisor));
    // Every class among the supporters moves to the class of its budget minus rho, or to EMPTY
    // if it cannot pay rho in full (then it pays all it has).
    const { classes } = this.gather(j, state);
    const { touched, nextClass } = this;
    const approxShare = approximate(share, budgets.denominator);
    for (let i = 0; i < classes; i++) {
      const budgetClass = touched[i]!;
      if (budgets.isBelow(budgetClass, share, 1n, approxShare)) {
        nextClass[budgetClass] = EMPTY;
      } else {
        const left = budgets.numerator(budgetClass) - share;
        nextClass[budgetClass] = left > 0n ? budgets.addClass(left) : EMPTY;
      }
    }
    const supporters = this.profile.supporters[j]!;
    for (let k = 0; k < supporters.length; k++) {
      const group = supporters[k]!;
      groupClass[group] = nextClass[groupClass[group]!]!; // EMPTY stays EMPTY
    }
    this.release(classes);
  }
}
