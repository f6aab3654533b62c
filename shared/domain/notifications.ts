import * as z from 'zod';
import { itemSortKey, keyPrefix } from '#shared/data/key-prefixes.ts';

/**
 * Who hears what (issue 13). Pure: no AWS.
 *
 * - A person's contact (stored once: e-mail, language, which kinds of message) is set by
 *   `PUT /v1/me/notifications`, or by signing with `{"notify": true}` / following (which add
 *   `followed`). The e-mail always comes from the identity provider's token.
 * - `own`: what happens to your own petitions (published, rejected, answered) and to your own
 *   participatory-budget projects (the council's review: admitted to the ballot, or not and why).
 * - `followed`: what happens to what you follow, signed or answered with `notify`, or voted on
 *   with `notify` (threshold reached, signing closed, the council's response; a consultation's
 *   report; a budget's results and its winners' implementation updates).
 * - A petition's closing goes to its author (`own`) and its followers (`followed`).
 * Nobody gets a message they did not ask for: no contact, or the kind not chosen, means nothing.
 */
export const notificationKinds = ['own', 'followed'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const notificationLanguages = ['uk', 'en'] as const;
export type NotificationLanguage = (typeof notificationLanguages)[number];

export interface Contact {
  readonly email: string;
  readonly language: NotificationLanguage;
  readonly kinds: readonly NotificationKind[];
  readonly updatedAt: string;
}

export const preferencesBody = z.strictObject({
  language: z.enum(notificationLanguages),
  kinds: z.array(z.enum(notificationKinds)).max(notificationKinds.length).transform((kinds) => [...new Set(kinds)]),
});

/** What can be followed. */
export const followableTypes = ['petition', 'consultation', 'budget'] as const;
export type FollowableType = (typeof followableTypes)[number];

/** One thing that happened that people may hear about. `key` is unique per event (its idempotency key). */
export type NotificationEvent =
  | { readonly type: 'petition-published'; readonly key: string; readonly petitionId: string; readonly title: string; readonly authorSub: string; readonly community: string }
  | { readonly type: 'petition-rejected'; readonly key: string; readonly petitionId: string; readonly title: string; readonly authorSub: string; readonly community: string; readonly explanation: string }
  | { readonly type: 'petition-threshold'; readonly key: string; readonly petitionId: string; readonly title: string; readonly community: string; readonly threshold: number }
  | {
      readonly type: 'petition-closed'; readonly key: string; readonly petitionId: string; readonly title: string; readonly authorSub: string; readonly community: string;
      /** The final count of signatures. */
      readonly signatureCount: number; readonly closesAt: string;
    }
  | { readonly type: 'petition-response'; readonly key: string; readonly petitionId: string; readonly title: string; readonly authorSub: string; readonly community: string; readonly decision: string; readonly text: string }
  | { readonly type: 'consultation-report'; readonly key: string; readonly consultationId: string; readonly title: string; readonly community: string }
  | {
      readonly type: 'budget-results'; readonly key: string; readonly budgetId: string; readonly title: string; readonly community: string;
      /** The winning projects' titles, in selection order (added from the stored results: `withWinners`). */
      readonly winners?: readonly string[];
    }
  | {
      readonly type: 'budget-project-reviewed'; readonly key: string; readonly budgetId: string; readonly projectId: string; readonly title: string;
      readonly authorSub: string; readonly community: string;
      /** On the ballot (feasible), or not. */
      readonly admitted: boolean;
      /** The reviewers' reason, published with the decision. */
      readonly reason: string;
      /** The cost the reviewers set (admitted only; null otherwise). */
      readonly finalCost: number | null;
      /** The budget's title and currency (added from the budget item: `withBudget`). */
      readonly budgetTitle?: string;
      readonly currency?: string;
    }
  | {
      readonly type: 'budget-implementation'; readonly key: string; readonly budgetId: string; readonly projectId: string; readonly title: string;
      readonly community: string; readonly status: string; readonly progress: number; readonly note: string;
    };

/** Which kind of message an event is for a recipient: the author hears `own`, followers `followed`. */
export function kindFor(event: NotificationEvent, recipientSub: string): NotificationKind {
  return 'authorSub' in event && event.authorSub === recipientSub ? 'own' : 'followed';
}

/** Whether the event goes to the followers of its subject, and whether to its author. */
export function audienceOf(event: NotificationEvent): { followers: boolean; author: string | undefined; subject: { type: FollowableType; id: string } } {
  switch (event.type) {
    case 'petition-published':
    case 'petition-rejected':
      return { followers: false, author: event.authorSub, subject: { type: 'petition', id: event.petitionId } };
    case 'petition-threshold':
      return { followers: true, author: undefined, subject: { type: 'petition', id: event.petitionId } };
    case 'petition-closed':
    case 'petition-response':
      return { followers: true, author: event.authorSub, subject: { type: 'petition', id: event.petitionId } };
    case 'consultation-report':
      return { followers: true, author: undefined, subject: { type: 'consultation', id: event.consultationId } };
    // The project's author alone: nobody follows a project before it is on the ballot.
    case 'budget-project-reviewed':
      return { followers: false, author: event.authorSub, subject: { type: 'budget', id: event.budgetId } };
    // Followers of the budget, and the voters who asked on their ballot: the same watch item (see
    // shared/data/notifications.ts `wishToHear`), so one message each.
    case 'budget-results':
    case 'budget-implementation':
      return { followers: true, author: undefined, subject: { type: 'budget', id: event.budgetId } };
  }
}

type Image = Record<string, unknown> | undefined;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The events a change of a petition item makes (old and new image of the table's stream), the
 * threshold event of a new alert item, and the closing event of a new closing record (written once
 * by the close-petitions schedule: shared/app/petition-closings.ts). A change that repeats (a redelivered record) makes the same
 * events with the same keys, which are recorded once.
 */
export function petitionEvents(oldImage: Image, newImage: Image): NotificationEvent[] {
  if (!newImage) return [];
  const sk = str(newImage.sk);
  const events: NotificationEvent[] = [];
  if (sk.startsWith(keyPrefix.alert)) {
    if (oldImage) return [];
    const petitionId = str(newImage.petitionId);
    const threshold = Number(newImage.threshold);
    return [{ type: 'petition-threshold', key: `petition-threshold:${petitionId}:${threshold}`, petitionId, title: str(newImage.title), community: str(newImage.community), threshold }];
  }
  if (sk === itemSortKey.consultation) {
    if (!newImage.report || oldImage?.report) return [];
    const consultationId = str(newImage.id);
    return [{ type: 'consultation-report', key: `consultation-report:${consultationId}`, consultationId, title: str(newImage.title), community: str(newImage.community) }];
  }
  if (sk === itemSortKey.budget && str(newImage.pk).startsWith(keyPrefix.budget)) {
    // Published by the council: the process's stamp goes from null to a time. An imported process
    // arrives published (no old image): nobody could have asked to hear about it.
    if (!oldImage || oldImage.resultsPublishedAt || !newImage.resultsPublishedAt) return [];
    const budgetId = str(newImage.id);
    return [{ type: 'budget-results', key: `budget-results:${budgetId}`, budgetId, title: str(newImage.title), community: str(newImage.community) }];
  }
  if (sk.startsWith(keyPrefix.project) && str(newImage.pk).startsWith(keyPrefix.budget)) {
    // Changes of a submitted project only: an imported project arrives reviewed (no old image, no author).
    if (!oldImage) return [];
    const review = projectReviewEvent(oldImage, newImage);
    if (review) return [review];
    const after = newImage.implementation as { status?: unknown; progress?: unknown; note?: unknown; updatedAt?: unknown } | null | undefined;
    const before = oldImage.implementation as { updatedAt?: unknown } | null | undefined;
    if (!after || str(after.updatedAt) === '' || str(after.updatedAt) === str(before?.updatedAt)) return [];
    const budgetId = str(newImage.budgetId);
    const projectId = str(newImage.id);
    return [{
      type: 'budget-implementation',
      key: `budget-implementation:${budgetId}:${projectId}:${str(after.updatedAt)}`,
      budgetId, projectId, title: str(newImage.title), community: str(newImage.community),
      status: str(after.status), progress: Number(after.progress ?? 0), note: str(after.note),
    }];
  }
  if (sk === itemSortKey.petitionClosed && str(newImage.pk).startsWith(keyPrefix.petition)) {
    if (oldImage) return [];
    const petitionId = str(newImage.petitionId);
    return [{
      type: 'petition-closed', key: `petition-closed:${petitionId}`, petitionId, title: str(newImage.title), authorSub: str(newImage.authorSub),
      community: str(newImage.community), signatureCount: Number(newImage.signatureCount ?? 0), closesAt: str(newImage.closesAt),
    }];
  }
  if (sk !== itemSortKey.petition || !str(newImage.pk).startsWith(keyPrefix.petition)) return [];
  const base = { petitionId: str(newImage.id), title: str(newImage.title), authorSub: str(newImage.authorSub), community: str(newImage.community) };
  const was = str(oldImage?.status);
  const is = str(newImage.status);
  if (is === 'open' && was !== 'open' && was !== 'closed') events.push({ type: 'petition-published', key: `petition-published:${base.petitionId}`, ...base });
  if (is === 'rejected' && was !== 'rejected') {
    const rejection = newImage.rejection as { explanation?: unknown } | null | undefined;
    events.push({ type: 'petition-rejected', key: `petition-rejected:${base.petitionId}`, ...base, explanation: str(rejection?.explanation) });
  }
  const response = newImage.response as { decision?: unknown; text?: unknown } | null | undefined;
  const hadResponse = Boolean(oldImage?.response);
  if (response && !hadResponse) {
    events.push({ type: 'petition-response', key: `petition-response:${base.petitionId}`, ...base, decision: str(response.decision), text: str(response.text) });
  }
  return events;
}

/**
 * The council's review of a project, for its author: when a review appears, or its decision
 * changes (admitted ↔ rejected). A review rewritten with the same decision (a new reason or cost,
 * or a redelivered record) is nothing new. The key is the project's, the decision's and the
 * review's time: a redelivered record makes the same key (told once), while a decision reversed and
 * then restored is told each time, so the author's last message is the decision that stands.
 */
function projectReviewEvent(oldImage: Record<string, unknown>, newImage: Record<string, unknown>): NotificationEvent | undefined {
  const after = newImage.review as { feasible?: unknown; reason?: unknown; finalCost?: unknown; reviewedAt?: unknown } | null | undefined;
  const before = oldImage.review as { feasible?: unknown } | null | undefined;
  if (!after || typeof after.feasible !== 'boolean' || before?.feasible === after.feasible) return undefined;
  const authorSub = str(newImage.authorSub);
  if (!authorSub) return undefined;
  const budgetId = str(newImage.budgetId);
  const projectId = str(newImage.id);
  const admitted = after.feasible;
  return {
    type: 'budget-project-reviewed',
    key: `budget-project-reviewed:${budgetId}:${projectId}:${admitted ? 'admitted' : 'rejected'}:${str(after.reviewedAt)}`,
    budgetId, projectId, title: str(newImage.title), authorSub, community: str(newImage.community),
    admitted, reason: str(after.reason), finalCost: admitted && typeof after.finalCost === 'number' ? after.finalCost : null,
  };
}

/** A project-review event with its budget's title and currency (from the budget item); others unchanged. */
export function withBudget(event: NotificationEvent, budget: { title?: unknown; money?: unknown } | undefined): NotificationEvent {
  if (event.type !== 'budget-project-reviewed' || !budget) return event;
  const currency = str((budget.money as { currency?: unknown } | null | undefined)?.currency);
  return { ...event, ...(str(budget.title) ? { budgetTitle: str(budget.title) } : {}), ...(currency ? { currency } : {}) };
}

/**
 * A budget-results event with its winners' titles, in selection order, from the published results
 * (`results.winners` ids, `results.projects` titles); others unchanged.
 */
export function withWinners(event: NotificationEvent, results: { winners?: unknown; projects?: unknown } | undefined): NotificationEvent {
  if (event.type !== 'budget-results' || !results || !Array.isArray(results.winners) || !Array.isArray(results.projects)) return event;
  const titles = new Map((results.projects as { projectId?: unknown; title?: unknown }[]).map((p) => [str(p.projectId), str(p.title)]));
  return { ...event, winners: (results.winners as unknown[]).map((id) => titles.get(str(id)) ?? str(id)) };
}

/** The language of a new contact: what the request's Accept-Language prefers of uk/en; Ukrainian when it names neither. */
export function languageFromHeader(header: string | undefined): NotificationLanguage {
  let best: { lang: NotificationLanguage; q: number } | undefined;
  for (const part of (header ?? '').split(',').slice(0, 20)) {
    const [tag = '', ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0];
    if (primary !== 'uk' && primary !== 'en') continue;
    const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    if (Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { lang: primary, q };
  }
  return best?.lang ?? 'uk';
}

/**
 * The contact to save when someone asks to hear about something they follow or sign: their current
 * address (from the token), their language (kept, or from the request), `followed` added to their
 * kinds. Undefined when nothing would change (no write).
 */
export function contactForFollowing(existing: Contact | undefined, email: string, language: NotificationLanguage, now: Date): Contact | undefined {
  if (existing && existing.email === email && existing.kinds.includes('followed')) return undefined;
  return {
    email,
    language: existing?.language ?? language,
    kinds: [...new Set([...(existing?.kinds ?? []), 'followed' as const])],
    updatedAt: now.toISOString(),
  };
}

export const noEmailDetail = 'Your identity provider gave no e-mail address, so there is nowhere to send messages. Add one with the provider and sign in again.';
