import type { Principal } from '#shared/auth/roles.ts';
import { checkCanParticipate, consultationStatus, type Consultation } from './consultation.ts';
import { refusal, refuse, type Decision, type Refusal } from '#shared/domain/outcome.ts';

/**
 * What residents write during a consultation: comments on the draft and proposals, which others
 * support or oppose. Both are published at once and moderated afterwards: a moderator may hide one
 * with a coded reason (the reason stays public, the text does not) or publish it again.
 */
export type ContributionKind = 'comment' | 'proposal';
export type ContributionStatus = 'published' | 'hidden';

export const hideReasons = ['offensive', 'unlawful', 'personal-data', 'spam', 'off-topic', 'duplicate', 'other'] as const;
export type HideReason = (typeof hideReasons)[number];

/** Why a resident reports a comment or proposal to the moderators. */
export const reportReasons = ['offensive', 'spam', 'personal-data', 'off-topic', 'other'] as const;
export type ReportReason = (typeof reportReasons)[number];

/**
 * Residents' reports of a contribution: how many people reported it, for which reasons, and since
 * when it awaits a moderator's review (null: no report since the last decision). One report per
 * person; a decision (hide, show or keep) ends the review, a later report starts a new one.
 */
export interface Reports {
  readonly count: number;
  readonly reasons: Readonly<Record<ReportReason, number>>;
  readonly awaitingReviewSince: string | null;
}

export const noReports = (): Reports => ({ count: 0, reasons: Object.fromEntries(reportReasons.map((r) => [r, 0])) as Record<ReportReason, number>, awaitingReviewSince: null });

export interface Hiding {
  readonly reasonCode: HideReason;
  readonly explanation: string;
  readonly hiddenAt: string;
}

interface ContributionBase {
  readonly id: string;
  readonly consultationId: string;
  readonly community: string;
  /** Kept for moderation and the own-proposal rule; never shown publicly. */
  readonly authorSub: string;
  readonly text: string;
  readonly status: ContributionStatus;
  readonly hidden: Hiding | null;
  readonly createdAt: string;
  readonly reports: Reports;
}

export interface Comment extends ContributionBase {
  readonly kind: 'comment';
}

export const proposalDecisions = ['accepted', 'partially-accepted', 'rejected'] as const;

export interface ProposalResponse {
  readonly decision: (typeof proposalDecisions)[number];
  readonly text: string;
  readonly recordedAt: string;
}

export interface Proposal extends ContributionBase {
  readonly kind: 'proposal';
  readonly title: string;
  readonly supportCount: number;
  readonly opposeCount: number;
  readonly councilResponse: ProposalResponse | null;
}

export type Contribution = Comment | Proposal;

export type Stance = 'support' | 'oppose';

interface NewContributionInput {
  readonly id: string;
  readonly consultation: Consultation;
  readonly author: Principal;
  readonly text: string;
  readonly now: Date;
}

function base(input: NewContributionInput): ContributionBase {
  return {
    id: input.id,
    consultationId: input.consultation.id,
    community: input.consultation.community,
    authorSub: input.author.sub,
    text: input.text,
    status: 'published',
    hidden: null,
    createdAt: input.now.toISOString(),
    reports: noReports(),
  };
}

export const newComment = (input: NewContributionInput): Comment => ({ ...base(input), kind: 'comment' });

export const newProposal = (input: NewContributionInput & { readonly title: string }): Proposal => ({
  ...base(input),
  kind: 'proposal',
  title: input.title,
  supportCount: 0,
  opposeCount: 0,
  councilResponse: null,
});

export type ModerationDecision = { decision: 'publish' } | { decision: 'hide'; reasonCode: HideReason; explanation: string };

/**
 * A moderator's decision. Any decision reviews the reports awaiting review: hiding, showing again,
 * or "publish" on a reported contribution that is published, which keeps it as it is.
 */
export function moderate<C extends Contribution>(contribution: C, decision: ModerationDecision, now: Date): Decision<C> {
  const reviewed: Reports = { ...contribution.reports, awaitingReviewSince: null };
  if (decision.decision === 'hide') {
    if (contribution.status === 'hidden') return refuse('wrong-state', 'already-hidden', `The ${contribution.kind} is already hidden.`);
    return {
      ok: true,
      value: { ...contribution, status: 'hidden', hidden: { reasonCode: decision.reasonCode, explanation: decision.explanation, hiddenAt: now.toISOString() }, reports: reviewed },
    };
  }
  if (contribution.status === 'published' && contribution.reports.awaitingReviewSince === null) {
    return refuse('wrong-state', 'already-published', `The ${contribution.kind} is already published.`);
  }
  return { ok: true, value: { ...contribution, status: 'published', hidden: null, reports: reviewed } };
}

/**
 * Whether `person` may report `contribution`: a resident of its community, on a visible
 * contribution of someone else (at any time: a closed consultation's page stays public).
 */
export function checkCanReport(contribution: Contribution, person: Principal): Refusal | undefined {
  if (person.community !== contribution.community) {
    return refusal('not-allowed', 'not-resident', 'Only residents of the community may report what is written in its consultations.');
  }
  if (contribution.status === 'hidden') return refusal('wrong-state', 'hidden', `The ${contribution.kind} is already hidden by a moderator.`);
  if (contribution.authorSub === person.sub) return refusal('not-allowed', 'own-contribution', `Authors cannot report their own ${contribution.kind}.`);
  return undefined;
}

/** The moderators' view: the full text (hidden or not), the reports and the decision; never the author. */
export function moderationView(c: Contribution, consultationTitle: string) {
  return {
    consultationId: c.consultationId,
    consultationTitle,
    kind: c.kind,
    id: c.id,
    title: c.kind === 'proposal' ? c.title : null,
    text: c.text,
    createdAt: c.createdAt,
    status: c.status,
    hidden: c.hidden,
    reportCount: c.reports.count,
    reasons: c.reports.reasons,
    awaitingReviewSince: c.reports.awaitingReviewSince,
  };
}

/** Whether `person` may support or oppose `proposal` now: the consultation's rules, plus a visible proposal of someone else. */
export function checkCanTakeStance(c: Consultation, proposal: Proposal, person: Principal, now: Date): Refusal | undefined {
  const participation = checkCanParticipate(c, person, now);
  if (participation) return participation;
  if (proposal.status === 'hidden') return refusal('wrong-state', 'hidden', 'The proposal was hidden by a moderator.');
  if (proposal.authorSub === person.sub) return refusal('not-allowed', 'own-proposal', 'Authors cannot support or oppose their own proposal.');
  return undefined;
}

/** The counts after one person's stance changes from `before` to `after` (null: no stance). */
export function recount(proposal: Pick<Proposal, 'supportCount' | 'opposeCount'>, before: Stance | null, after: Stance | null) {
  const delta = (stance: Stance) => (after === stance ? 1 : 0) - (before === stance ? 1 : 0);
  return { supportCount: proposal.supportCount + delta('support'), opposeCount: proposal.opposeCount + delta('oppose') };
}

/**
 * The council answers a proposal it took up or rejected, once the consultation has closed; it may
 * correct its answer until the report is published, which makes the answers final.
 */
export function recordProposalResponse(
  c: Consultation,
  proposal: Proposal,
  response: Pick<ProposalResponse, 'decision' | 'text'>,
  now: Date,
): Decision<Proposal> {
  if (consultationStatus(c, now) !== 'closed') return refuse('wrong-state', 'not-closed', 'Proposals are answered after the consultation closes.');
  if (c.report) return refuse('wrong-state', 'already-reported', 'The report is published; its answers are final.');
  if (proposal.status === 'hidden') return refuse('wrong-state', 'hidden', 'A hidden proposal is not answered.');
  return { ok: true, value: { ...proposal, councilResponse: { ...response, recordedAt: now.toISOString() } } };
}

/** Public view: never the author; a hidden contribution shows only why it was hidden. */
export function commentView(c: Contribution) {
  const visible = c.status === 'published';
  return {
    id: c.id,
    consultationId: c.consultationId,
    status: c.status,
    text: visible ? c.text : null,
    hidden: c.hidden ? { reasonCode: c.hidden.reasonCode, explanation: c.hidden.explanation } : null,
    createdAt: c.createdAt,
  };
}

export function proposalView(p: Proposal) {
  return {
    ...commentView(p),
    title: p.status === 'published' ? p.title : null,
    supportCount: p.supportCount,
    opposeCount: p.opposeCount,
    councilResponse: p.councilResponse,
  };
}
