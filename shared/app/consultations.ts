/**
 * Consultation use cases shared by several routes. Handlers import these; no handler imports
 * another handler (test/architecture.test.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '#shared/auth/roles.ts';
import { getCommunity } from '#shared/data/communities.ts';
import { consultationResults, createContribution, moderationListingPage, requireConsultation, requireContribution, saveContributionReport } from '#shared/data/consultations.ts';
import { checkCanParticipate, consultationRulesOf, resultsArePublic, type Consultation } from '#shared/domain/consultations/consultation.ts';
import { checkCanReport, moderationView, type Contribution, type ContributionKind, type ReportReason } from '#shared/domain/consultations/contributions.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';

/**
 * The results as the public may see them: live, or only after closing, as the council chose. A
 * public route is read-only: results are frozen by the council's routes, and until then the CDN
 * caches each tally (final ones for longer, since they no longer change).
 */
export async function publicResults(db: DynamoDBDocumentClient, id: string, now: Date) {
  const consultation = await requireConsultation(db, id);
  if (!resultsArePublic(consultation, now)) {
    throw problems.forbidden('results-after-close', `The results are published after the consultation closes at ${consultation.closesAt}.`);
  }
  const results = await consultationResults(db, consultation, now, { freeze: false });
  return { consultation, results, cacheSeconds: results.final ? 300 : 10 };
}

/**
 * A resident reports a comment or proposal to the moderators: once per person (a repeat returns
 * the first report and counts nothing), never a hidden one, another community's, or one's own.
 */
export async function reportContribution(
  db: DynamoDBDocumentClient,
  target: { kind: ContributionKind; consultationId: string; id: string },
  principal: Principal,
  input: { reason: ReportReason; note?: string | undefined },
  now: Date,
) {
  const { contribution } = await requireContribution(db, target.kind, target.consultationId, target.id);
  const refusal = checkCanReport(contribution, principal);
  if (refusal) throw problemFromRefusal(refusal);
  return saveContributionReport(db, contribution, principal.sub, input, now);
}

/** The moderators' queue of their own community: reported contributions awaiting review, or hidden ones. */
export async function contributionModerationQueue(
  db: DynamoDBDocumentClient,
  principal: Principal,
  query: { community?: string | undefined; state: 'reported' | 'hidden'; limit: number; cursor?: string | undefined },
) {
  const community = query.community ?? principal.community;
  if (community !== principal.community) throw problems.forbidden('other-community', 'Moderators act only within their own community.');
  const page = await moderationListingPage(db, community, query.state, query.limit, query.cursor);
  return { items: page.items.map(({ contribution, consultationTitle }) => moderationView(contribution, consultationTitle)), nextCursor: page.nextCursor };
}

/**
 * A resident writes a comment or a proposal: only while they may take part (open, eligible), and
 * within the community's daily limit for that kind (checked in the same write).
 */
export async function contribute<C extends Contribution>(
  db: DynamoDBDocumentClient,
  consultationId: string,
  principal: Principal,
  write: (consultation: Consultation, now: Date) => C,
): Promise<C> {
  const consultation = await requireConsultation(db, consultationId);
  const now = new Date();
  const refusal = checkCanParticipate(consultation, principal, now);
  if (refusal) throw problemFromRefusal(refusal);
  const rules = consultationRulesOf(await getCommunity(db, consultation.community));
  const contribution = write(consultation, now);
  await createContribution(db, contribution, contribution.kind === 'comment' ? rules.maxCommentsPerPersonPerDay : rules.maxProposalsPerPersonPerDay);
  return contribution;
}
