import { validateBallot, type Ballot, type BallotProject, type BallotRules, type BallotViolation } from '#shared/domain/budget/ballot.ts';

/** Why typed text is not a ballot: the budget's own rule broken, or the typing itself. */
export type PaperEntryProblem =
  | { code: 'empty' }
  | { code: 'unreadable'; token: string }
  | { code: 'points-missing' }
  | { code: 'points-not-expected' }
  | { code: 'unknown'; id: string }
  | { code: 'duplicate'; id: string }
  | { code: 'rule'; rule: BallotViolation };

export type PaperEntry = { ok: true; ballot: Ballot } | { ok: false; problem: PaperEntryProblem };

/**
 * What staff type from a paper ballot, read as a ballot: the numbers of the marked projects
 * separated by spaces, commas or semicolons ("3 7 12"; most preferred first on a ranked ballot); on
 * a points ballot number:points ("3:2 7:1", also "3=2", "3x2"). A "№" or "#" before a number is
 * ignored. Then the budget's rules are checked (the same validateBallot the API runs), so what the
 * API would refuse is refused here first, and said in words. Pure: no DOM, no messages.
 */
export function readPaperBallot(text: string, rules: BallotRules, projects: readonly BallotProject[]): PaperEntry {
  const tokens = text.trim().split(/[\s,;]+/).filter(Boolean);
  if (tokens.length === 0) return { ok: false, problem: { code: 'empty' } };
  const ids: string[] = [];
  const points: number[] = [];
  for (const token of tokens) {
    const m = /^[#№]?([A-Za-z0-9][A-Za-z0-9_.-]*?)(?:[:=*xх×](\d{1,4}))?$/.exec(token);
    if (!m) return { ok: false, problem: { code: 'unreadable', token } };
    const id = m[1]!;
    const given = m[2];
    if (rules.type === 'cumulative') {
      if (given === undefined) return { ok: false, problem: { code: 'points-missing' } };
      points.push(Number(given));
    } else if (given !== undefined) return { ok: false, problem: { code: 'points-not-expected' } };
    if (!projects.some((p) => p.id === id)) return { ok: false, problem: { code: 'unknown', id } };
    if (ids.includes(id)) return { ok: false, problem: { code: 'duplicate', id } };
    ids.push(id);
  }
  const ballot: Ballot = rules.type === 'cumulative' ? { projects: ids, points } : { projects: ids };
  const validation = validateBallot(rules, projects, ballot);
  return validation.ok ? { ok: true, ballot } : { ok: false, problem: { code: 'rule', rule: validation.rule } };
}
