import { describe, expect, it } from 'vitest';
import {
  checkCanEnterPaperBallot, checkCanIssueCodes, checkCanRecordPaperVoter, checkCanSeeCodeCounts, checkCanSubmit, checkCanSupport, checkCanVote,
  checkCanVoteWithCode,
} from '#shared/domain/budget-process/eligibility.ts';
import { at, citizen, iso, schoolBudget, ternopilBudget } from './fixtures.ts';

const budget = ternopilBudget();
const school = schoolBudget();
const voting = at(22);

describe('eligibility comes from the verified principal only', () => {
  it('a resident of 16 or more votes; 15-year-olds, other communities and unknown ages do not', () => {
    expect(checkCanVote(budget, citizen(), voting)).toMatchObject({ kind: 'not-allowed', code: 'national-id-required' });
    const voter = (overrides: Parameters<typeof citizen>[0] = {}) => citizen({ nationalId: '3012345678', ...overrides });
    expect(checkCanVote(budget, voter(), voting)).toBeUndefined();
    // 16 on the day of voting, not before.
    const birthday = `${voting.getUTCFullYear() - 16}-${String(voting.getUTCMonth() + 1).padStart(2, '0')}-${String(voting.getUTCDate()).padStart(2, '0')}`;
    expect(checkCanVote(budget, voter({ birthdate: birthday }), voting)).toBeUndefined();
    expect(checkCanVote(budget, citizen({ birthdate: birthday }), new Date(voting.getTime() - 86_400_000))).toMatchObject({ kind: 'not-allowed', code: 'under-age' });
    expect(checkCanVote(budget, citizen({ community: 'lviv' }), voting)).toMatchObject({ kind: 'not-allowed', code: 'not-resident' });
    expect(checkCanVote(budget, citizen({ birthdate: undefined }), voting)).toMatchObject({ kind: 'not-allowed', code: 'age-unknown' });
  });

  it('votes only while voting lasts (wrong state, naming the phase)', () => {
    expect(checkCanVote(budget, citizen(), at(20))).toMatchObject({ kind: 'wrong-state', code: 'wrong-phase' });
    expect(checkCanVote(budget, citizen(), at(35))?.message).toContain('"results"');
  });

  it('a school budget is voted with its codes only; a public budget takes no codes', () => {
    expect(checkCanVote(school, citizen(), voting)).toMatchObject({ kind: 'not-allowed', code: 'school-codes-only' });
    expect(checkCanVoteWithCode(school, voting)).toBeUndefined();
    expect(checkCanVoteWithCode(school, at(36))).toMatchObject({ kind: 'wrong-state' });
    expect(checkCanVoteWithCode(budget, voting)).toMatchObject({ kind: 'not-allowed', code: 'no-codes' });
  });

  it('submission: citizens of the community in the submission phase; on a school budget, its administrator', () => {
    expect(checkCanSubmit(budget, citizen(), at(1))).toBeUndefined();
    expect(checkCanSubmit(budget, citizen(), at(8))).toMatchObject({ kind: 'wrong-state', code: 'wrong-phase' });
    expect(checkCanSubmit(budget, citizen({ birthdate: '2015-01-01' }), at(1))).toMatchObject({ kind: 'not-allowed', code: 'under-age' });
    expect(checkCanSubmit(budget, citizen({ roles: ['council'] }), at(1))).toMatchObject({ kind: 'not-allowed', code: 'citizens-only' });
    expect(checkCanSubmit(school, citizen(), at(1))).toMatchObject({ kind: 'not-allowed', code: 'school-admin-only' });
    expect(checkCanSubmit(school, citizen({ roles: ['school-admin'], school: 'school-5' }), at(1))).toBeUndefined();
    expect(checkCanSubmit(school, citizen({ roles: ['school-admin'], school: 'school-12' }), at(1))).toMatchObject({ kind: 'not-allowed', code: 'not-your-school' });
    expect(checkCanSubmit(school, citizen({ roles: ['school-admin'] }), at(1))).toMatchObject({ kind: 'not-allowed', code: 'not-your-school' });
    expect(checkCanSubmit(school, citizen({ roles: ['school-admin'], school: 'school-5', community: 'lviv' }), at(1))).toMatchObject({ kind: 'not-allowed' });
  });

  it('pre-support: someone else’s project, during submission or pre-support; not where none is required', () => {
    expect(checkCanSupport(budget, 'author', citizen(), at(1))).toBeUndefined();
    expect(checkCanSupport(budget, 'author', citizen(), at(8))).toBeUndefined();
    expect(checkCanSupport(budget, 'author', citizen(), at(15))).toMatchObject({ kind: 'wrong-state', code: 'wrong-phase' });
    expect(checkCanSupport(budget, 'olena', citizen(), at(8))).toMatchObject({ kind: 'not-allowed', code: 'own-project' });
    expect(checkCanSupport(budget, 'author', citizen({ community: 'lviv' }), at(8))).toMatchObject({ kind: 'not-allowed', code: 'not-resident' });
    expect(checkCanSupport(school, 'author', citizen(), at(1))).toMatchObject({ kind: 'wrong-state', code: 'no-pre-support' });
  });

  it('codes are issued by the school’s own administrator until voting closes; code counts are its own and the council’s', () => {
    const admin = citizen({ roles: ['school-admin'], school: 'school-5' });
    expect(checkCanIssueCodes(school, admin, at(1))).toBeUndefined();
    expect(checkCanIssueCodes(school, admin, voting)).toBeUndefined();
    expect(checkCanIssueCodes(school, admin, at(36))).toMatchObject({ kind: 'wrong-state' });
    expect(checkCanIssueCodes(school, { ...admin, community: 'lviv' }, at(1))).toMatchObject({ kind: 'not-allowed' });
    expect(checkCanIssueCodes(school, { ...admin, school: 'school-12' }, at(1))).toMatchObject({ kind: 'not-allowed', code: 'not-your-school' });
    expect(checkCanIssueCodes(budget, admin, at(1))).toMatchObject({ kind: 'wrong-state', code: 'no-codes' });
    expect(checkCanSeeCodeCounts(school, admin)).toBeUndefined();
    expect(checkCanSeeCodeCounts(school, citizen({ roles: ['council'] }))).toBeUndefined();
    expect(checkCanSeeCodeCounts(school, { ...admin, school: 'school-12' })).toMatchObject({ kind: 'not-allowed', code: 'not-your-school' });
  });

  it('paper voters are recorded while voting lasts; paper ballots are entered during voting and until voting closes or the paper-count window ends', () => {
    expect(checkCanRecordPaperVoter(budget, at(20))).toMatchObject({ kind: 'wrong-state', code: 'wrong-phase' });
    expect(checkCanRecordPaperVoter(budget, voting)).toBeUndefined();
    expect(checkCanRecordPaperVoter(budget, at(36))).toMatchObject({ kind: 'wrong-state', code: 'wrong-phase' });
    expect(checkCanRecordPaperVoter(school, voting)).toMatchObject({ kind: 'wrong-state', code: 'school-codes-only' });

    expect(checkCanEnterPaperBallot(budget, at(20))).toMatchObject({ kind: 'wrong-state' });
    expect(checkCanEnterPaperBallot(budget, voting)).toBeUndefined();
    // Without a paper-count window, not after voting closes.
    expect(checkCanEnterPaperBallot(budget, at(36))).toMatchObject({ kind: 'wrong-state', code: 'paper-window-closed' });
    const withWindow = ternopilBudget({ schedule: { ...ternopilBudget().schedule, paperCountEnds: iso(38) } });
    expect(checkCanEnterPaperBallot(withWindow, at(36))).toBeUndefined();
    expect(checkCanEnterPaperBallot(withWindow, at(38))).toMatchObject({ kind: 'wrong-state', code: 'paper-window-closed' });
    expect(checkCanEnterPaperBallot({ ...withWindow, countingStartedAt: at(36).toISOString() }, at(36))).toMatchObject({ kind: 'wrong-state', code: 'counting-started' });
    expect(checkCanEnterPaperBallot(school, voting)).toMatchObject({ kind: 'wrong-state', code: 'school-codes-only' });
  });
});
