import { describe, expect, it } from 'vitest';
import {
  checkCanReport, checkCanTakeStance, commentView, moderate, moderationView, newComment, newProposal, proposalView, recordProposalResponse, recount,
} from '#shared/domain/consultations/contributions.ts';
import { publishReport } from '#shared/domain/consultations/consultation.ts';
import { at, consultation, day, resident } from './fixtures.ts';

const c = consultation();
const author = { ...resident, sub: 'author-1' };
const proposal = newProposal({ id: 'p1', consultation: c, author, title: 'More benches', text: 'Twenty benches along the alleys.', now: at(day) });
const comment = newComment({ id: 'm1', consultation: c, author, text: 'Good draft.', now: at(day) });
const hide = { decision: 'hide' as const, reasonCode: 'offensive' as const, explanation: 'Insults another resident.' };

describe('moderation', () => {
  it('hides with a coded reason, publishes again, and refuses what is already so', () => {
    const hidden = moderate(comment, hide, at(2 * day));
    expect(hidden).toMatchObject({ ok: true, value: { status: 'hidden', hidden: { reasonCode: 'offensive' } } });
    if (!hidden.ok) return;
    expect(moderate(hidden.value, hide, at(2 * day))).toMatchObject({ ok: false, code: 'already-hidden' });
    expect(moderate(hidden.value, { decision: 'publish' }, at(2 * day))).toMatchObject({ ok: true, value: { status: 'published', hidden: null } });
    expect(moderate(comment, { decision: 'publish' }, at(2 * day))).toMatchObject({ ok: false, code: 'already-published' });
  });

  it('a hidden contribution shows the reason but not its text; no view shows the author', () => {
    const hidden = moderate(proposal, hide, at(2 * day));
    if (!hidden.ok) throw new Error(hidden.message);
    expect(proposalView(hidden.value)).toMatchObject({ status: 'hidden', title: null, text: null, hidden: { reasonCode: 'offensive', explanation: hide.explanation } });
    expect(JSON.stringify([commentView(comment), proposalView(proposal)])).not.toContain('author-1');
  });
});

describe('reports by residents', () => {
  const reported = { ...comment, reports: { ...comment.reports, count: 2, awaitingReviewSince: at(day).toISOString() } };

  it('a resident reports someone else’s visible contribution; not another community, a hidden one or one’s own', () => {
    expect(checkCanReport(comment, resident)).toBeUndefined();
    expect(checkCanReport(comment, { ...resident, community: 'lviv' })).toMatchObject({ kind: 'not-allowed', code: 'not-resident' });
    expect(checkCanReport(comment, author)).toMatchObject({ kind: 'not-allowed', code: 'own-contribution' });
    const hidden = moderate(comment, hide, at(day));
    if (!hidden.ok) throw new Error('not hidden');
    expect(checkCanReport(hidden.value, resident)).toMatchObject({ kind: 'wrong-state', code: 'hidden' });
  });

  it('any decision reviews the reports: "publish" keeps a reported visible one, hiding hides it; counts stay', () => {
    const kept = moderate(reported, { decision: 'publish' }, at(2 * day));
    expect(kept).toMatchObject({ ok: true, value: { status: 'published', reports: { count: 2, awaitingReviewSince: null } } });
    const hidden = moderate(reported, hide, at(2 * day));
    expect(hidden).toMatchObject({ ok: true, value: { status: 'hidden', reports: { count: 2, awaitingReviewSince: null } } });
  });

  it('the moderators’ view has the text of a hidden contribution, never the author', () => {
    const hidden = moderate(proposal, hide, at(2 * day));
    if (!hidden.ok) throw new Error('not hidden');
    const view = moderationView(hidden.value, 'Park');
    expect(view).toMatchObject({ consultationTitle: 'Park', kind: 'proposal', title: 'More benches', text: 'Twenty benches along the alleys.', status: 'hidden' });
    expect(JSON.stringify(view)).not.toContain('author-1');
  });
});

describe('stances on proposals', () => {
  it('counts one stance per person: taking, changing and withdrawing it', () => {
    const zero = { supportCount: 0, opposeCount: 0 };
    expect(recount(zero, null, 'support')).toEqual({ supportCount: 1, opposeCount: 0 });
    expect(recount({ supportCount: 1, opposeCount: 0 }, 'support', 'oppose')).toEqual({ supportCount: 0, opposeCount: 1 });
    expect(recount({ supportCount: 0, opposeCount: 1 }, 'oppose', null)).toEqual(zero);
    expect(recount({ supportCount: 4, opposeCount: 2 }, 'support', 'support')).toEqual({ supportCount: 4, opposeCount: 2 });
  });

  it('on someone else’s visible proposal, by an eligible person, while open', () => {
    expect(checkCanTakeStance(c, proposal, resident, at(day))).toBeUndefined();
    expect(checkCanTakeStance(c, proposal, author, at(day))).toMatchObject({ kind: 'not-allowed', code: 'own-proposal' });
    expect(checkCanTakeStance(c, proposal, { ...resident, community: 'lviv' }, at(day))).toMatchObject({ kind: 'not-allowed', code: 'not-resident' });
    expect(checkCanTakeStance(c, proposal, resident, at(8 * day))).toMatchObject({ kind: 'wrong-state', code: 'closed' });
    const hidden = moderate(proposal, hide, at(day));
    if (hidden.ok) expect(checkCanTakeStance(c, hidden.value, resident, at(day))).toMatchObject({ kind: 'wrong-state', code: 'hidden' });
  });
});

describe('the council’s answer to a proposal', () => {
  const answer = { decision: 'accepted' as const, text: 'Benches will be installed in spring.' };
  it('after closing, until the report makes it final; not for a hidden proposal', () => {
    expect(recordProposalResponse(c, proposal, answer, at(day))).toMatchObject({ ok: false, code: 'not-closed' });
    expect(recordProposalResponse(c, proposal, answer, at(8 * day))).toMatchObject({ ok: true, value: { councilResponse: { decision: 'accepted' } } });
    const reported = publishReport(c, { summary: 'Report summary of the consultation.' }, at(8 * day));
    if (reported.ok) expect(recordProposalResponse(reported.value, proposal, answer, at(8 * day))).toMatchObject({ ok: false, code: 'already-reported' });
    const hidden = moderate(proposal, hide, at(day));
    if (hidden.ok) expect(recordProposalResponse(c, hidden.value, answer, at(8 * day))).toMatchObject({ ok: false, code: 'hidden' });
  });
});
