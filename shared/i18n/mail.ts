/**
 * The e-mails hromada sends, in Ukrainian and English: one catalogue of texts (plain keys with
 * `{placeholders}`, the same shape as the web app's catalogues in web/src/messages, so the app could
 * import it) and pure renderers that turn an event into a subject, a plain-text body and an HTML
 * body. Pure: no AWS, no Node APIs; every value put into HTML is escaped.
 */
import { inSentence } from './terms.ts';

export const mailLanguages = ['uk', 'en'] as const;
export type MailLanguage = (typeof mailLanguages)[number];

/** The mail language for a language tag or list of them (a community's `languages`, a person's choice). */
export function mailLanguage(tags: string | readonly string[] | undefined): MailLanguage {
  for (const tag of typeof tags === 'string' ? [tags] : (tags ?? [])) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'uk' || primary === 'en') return primary;
  }
  return 'uk';
}

const locales: Record<MailLanguage, string> = { uk: 'uk-UA', en: 'en-GB' };

/** At most this many winners are named in a results e-mail (the budget's page lists them all). */
const WINNERS_NAMED = 20;

const uk = {
  'mail.footer.why': 'Ви отримали цей лист від «Громади», електронної демократії вашої громади.',
  'mail.footer.unsubscribe': 'Більше не отримувати таких листів: {url}',
  'mail.footer.unsubscribeLink': 'Відписатися',
  'mail.alert.subject': 'Петиція набрала {threshold}: {title}',
  'mail.alert.greeting': 'Шановні члени ради!',
  'mail.alert.body': 'Електронна петиція «{title}» набрала {threshold} ({purpose}) {reachedAt}.',
  'mail.alert.count': 'Підписів на момент фіксації: {count}.',
  'mail.alert.console': 'Розгляньте петицію в робочому кабінеті: {url}',
  'mail.alert.consoleLink': 'Відкрити робочий кабінет',
  'mail.alert.key': 'Ключ сповіщення: {key}',
  'mail.petition.link': 'Переглянути петицію: {url}',
  'mail.petition.linkLabel': 'Переглянути петицію',
  'mail.published.subject': 'Вашу петицію опубліковано: {title}',
  'mail.published.body': 'Модератор опублікував вашу петицію «{title}». Тепер її можуть підписати мешканці громади.',
  'mail.rejected.subject': 'Вашу петицію відхилено: {title}',
  'mail.rejected.body': 'Модератор відхилив вашу петицію «{title}».',
  'mail.rejected.explanation': 'Пояснення модератора: {explanation}',
  'mail.threshold.subject': 'Петиція набрала {threshold}: {title}',
  'mail.threshold.body': 'Петиція «{title}» набрала {threshold}. Її передано на розгляд раді; ми повідомимо вас про відповідь.',
  'mail.closed.subject': 'Збір підписів завершено: {title}',
  'mail.closed.body': 'Збір підписів під петицією «{title}» завершено. Остаточний підсумок: {count}.',
  'mail.response.subject': 'Рада відповіла на петицію: {title}',
  'mail.response.body': 'Рада відповіла на петицію «{title}». Рішення: {decision}.',
  'mail.response.text': 'Відповідь: {text}',
  'mail.report.subject': 'Опубліковано звіт консультації: {title}',
  'mail.report.body': 'Рада опублікувала звіт за результатами консультації «{title}»: підсумки та що буде зроблено з пропозиціями.',
  'mail.report.link': 'Читати звіт: {url}',
  'mail.report.linkLabel': 'Читати звіт',
  'mail.budgetResults.subject': 'Оголошено результати бюджету участі: {title}',
  'mail.budgetResults.body': 'Рада оголосила результати голосування за бюджет участі «{title}»: які проєкти перемогли та скільки коштів на них спрямовано.',
  'mail.budgetResults.winners': 'Перемогли проєкти: {list}.',
  'mail.budgetResults.more': 'і ще {n}',
  'mail.budget.link': 'Переглянути бюджет участі: {url}',
  'mail.budget.linkLabel': 'Переглянути бюджет участі',
  'mail.projectReviewed.admitted.subject': 'Ваш проєкт допущено до голосування: {title}',
  'mail.projectReviewed.rejected.subject': 'Ваш проєкт не допущено до голосування: {title}',
  'mail.projectReviewed.admitted.body': 'Рада розглянула ваш проєкт «{title}» і допустила його до голосування за бюджет участі.',
  'mail.projectReviewed.rejected.body': 'Рада розглянула ваш проєкт «{title}» і не допустила його до голосування за бюджет участі.',
  'mail.projectReviewed.budget': 'Бюджет участі: «{budget}».',
  'mail.projectReviewed.finalCost': 'Вартість проєкту за результатами розгляду: {cost}.',
  'mail.projectReviewed.reason': 'Обґрунтування рішення: {reason}',
  'mail.project.link': 'Переглянути проєкт: {url}',
  'mail.project.linkLabel': 'Переглянути проєкт',
  'mail.implementation.subject': 'Новини реалізації проєкту: {title}',
  'mail.implementation.body': 'Проєкт-переможець бюджету участі «{title}»: {status}, готовність {progress}.',
  'mail.implementation.note': 'Коментар ради: {note}',
  'mail.implementation.planned': inSentence('uk', 'implementation.planned'),
  'mail.implementation.in-progress': inSentence('uk', 'implementation.in-progress'),
  'mail.implementation.completed': inSentence('uk', 'implementation.completed'),
  'mail.implementation.cancelled': inSentence('uk', 'implementation.cancelled'),
  'mail.decision.supported': inSentence('uk', 'decision.supported'),
  'mail.decision.partially-supported': inSentence('uk', 'decision.partially-supported'),
  'mail.decision.not-supported': inSentence('uk', 'decision.not-supported'),
  'mail.decision.noted': inSentence('uk', 'decision.noted'),
  'mail.purpose.council-consideration': inSentence('uk', 'purpose.council-consideration'),
  'mail.purpose.response': inSentence('uk', 'purpose.response'),
  'mail.purpose.debate': inSentence('uk', 'purpose.debate'),
} as const;

export type MailKey = keyof typeof uk;

const en: Record<MailKey, string> = {
  'mail.footer.why': 'You receive this e-mail from Hromada, the e-democracy service of your community.',
  'mail.footer.unsubscribe': 'Stop these e-mails: {url}',
  'mail.footer.unsubscribeLink': 'Unsubscribe',
  'mail.alert.subject': 'Petition reached {threshold}: {title}',
  'mail.alert.greeting': 'Dear council members,',
  'mail.alert.body': 'The e-petition "{title}" reached {threshold} ({purpose}) on {reachedAt}.',
  'mail.alert.count': 'Signatures when recorded: {count}.',
  'mail.alert.console': 'Consider it in the staff console: {url}',
  'mail.alert.consoleLink': 'Open the staff console',
  'mail.alert.key': 'Alert key: {key}',
  'mail.petition.link': 'See the petition: {url}',
  'mail.petition.linkLabel': 'See the petition',
  'mail.published.subject': 'Your petition is published: {title}',
  'mail.published.body': 'A moderator published your petition "{title}". Residents of the community can sign it now.',
  'mail.rejected.subject': 'Your petition was rejected: {title}',
  'mail.rejected.body': 'A moderator rejected your petition "{title}".',
  'mail.rejected.explanation': 'The moderator\'s explanation: {explanation}',
  'mail.threshold.subject': 'Petition reached {threshold}: {title}',
  'mail.threshold.body': 'The petition "{title}" reached {threshold}. It goes to the council; we will tell you its response.',
  'mail.closed.subject': 'Signing has closed: {title}',
  'mail.closed.body': 'Signing of the petition "{title}" has closed. The final count: {count}.',
  'mail.response.subject': 'The council answered the petition: {title}',
  'mail.response.body': 'The council answered the petition "{title}". Decision: {decision}.',
  'mail.response.text': 'Response: {text}',
  'mail.report.subject': 'The consultation report is published: {title}',
  'mail.report.body': 'The council published its report on the consultation "{title}": the results and what happens with the proposals.',
  'mail.report.link': 'Read the report: {url}',
  'mail.report.linkLabel': 'Read the report',
  'mail.budgetResults.subject': 'Participatory budget results are published: {title}',
  'mail.budgetResults.body': 'The council published the results of the participatory budget vote "{title}": which projects won and the money they get.',
  'mail.budgetResults.winners': 'The winning projects: {list}.',
  'mail.budgetResults.more': '{n} more',
  'mail.budget.link': 'See the participatory budget: {url}',
  'mail.budget.linkLabel': 'See the participatory budget',
  'mail.projectReviewed.admitted.subject': 'Your project is on the ballot: {title}',
  'mail.projectReviewed.rejected.subject': 'Your project was not admitted to the ballot: {title}',
  'mail.projectReviewed.admitted.body': 'The council reviewed your project "{title}" and admitted it to the participatory budget vote.',
  'mail.projectReviewed.rejected.body': 'The council reviewed your project "{title}" and did not admit it to the participatory budget vote.',
  'mail.projectReviewed.budget': 'Participatory budget: "{budget}".',
  'mail.projectReviewed.finalCost': 'The project\'s cost as set in the review: {cost}.',
  'mail.projectReviewed.reason': 'The reason for the decision: {reason}',
  'mail.project.link': 'See the project: {url}',
  'mail.project.linkLabel': 'See the project',
  'mail.implementation.subject': 'Implementation news of a project: {title}',
  'mail.implementation.body': 'The winning participatory budget project "{title}": {status}, {progress} done.',
  'mail.implementation.note': 'The council\'s note: {note}',
  'mail.implementation.planned': inSentence('en', 'implementation.planned'),
  'mail.implementation.in-progress': inSentence('en', 'implementation.in-progress'),
  'mail.implementation.completed': inSentence('en', 'implementation.completed'),
  'mail.implementation.cancelled': inSentence('en', 'implementation.cancelled'),
  'mail.decision.supported': inSentence('en', 'decision.supported'),
  'mail.decision.partially-supported': inSentence('en', 'decision.partially-supported'),
  'mail.decision.not-supported': inSentence('en', 'decision.not-supported'),
  'mail.decision.noted': inSentence('en', 'decision.noted'),
  'mail.purpose.council-consideration': inSentence('en', 'purpose.council-consideration'),
  'mail.purpose.response': inSentence('en', 'purpose.response'),
  'mail.purpose.debate': inSentence('en', 'purpose.debate'),
};

/** Plural forms (Intl.PluralRules categories), `{n}` for the number. */
export interface MailPlural {
  readonly one: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}

const plurals = {
  uk: { signatures: { one: '{n} підпис', few: '{n} підписи', many: '{n} підписів', other: '{n} підпису' } },
  en: { signatures: { one: '{n} signature', other: '{n} signatures' } },
} as const satisfies Record<MailLanguage, Record<string, MailPlural>>;

export type MailPluralKey = keyof (typeof plurals)['uk'];

/** "2 підписи", "5 підписів", "21 підпис"; "1 signature", "300 signatures". */
export function mailPlural(lang: MailLanguage, key: MailPluralKey, n: number): string {
  const forms: MailPlural = plurals[lang][key];
  const category = new Intl.PluralRules(locales[lang]).select(n) as keyof MailPlural;
  return (forms[category] ?? forms.other).replace('{n}', new Intl.NumberFormat(locales[lang]).format(n));
}

export const mailCatalogues: Readonly<Record<MailLanguage, Readonly<Record<MailKey, string>>>> = { uk, en };

/** A catalogue text with its `{name}` placeholders filled (unknown ones stay as written). */
export function mailText(lang: MailLanguage, key: MailKey, values: Readonly<Record<string, string | number>> = {}): string {
  return mailCatalogues[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(locales[lang]).format(value) : value;
  });
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A date and time as people of the community read it (its time zone), e.g. "30 листопада 2026 р. о 16:05". */
export function formatMailDate(lang: MailLanguage, iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locales[lang], { dateStyle: 'long', timeStyle: 'short', timeZone }).format(new Date(iso));
}

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** One paragraph of a message: plain text, or text with a link (the URL is shown in the plain part). */
type Paragraph = { readonly text: string } | { readonly text: string; readonly link: { readonly url: string; readonly label: string } };

function render(lang: MailLanguage, subject: string, paragraphs: readonly Paragraph[], unsubscribeUrl?: string): RenderedMail {
  const footer: Paragraph[] = [{ text: mailText(lang, 'mail.footer.why') }];
  if (unsubscribeUrl) {
    footer.push({ text: mailText(lang, 'mail.footer.unsubscribe', { url: unsubscribeUrl }), link: { url: unsubscribeUrl, label: mailText(lang, 'mail.footer.unsubscribeLink') } });
  }
  const text = [...paragraphs.map((p) => p.text), '--', ...footer.map((p) => p.text)].join('\n\n') + '\n';
  const htmlParagraph = (p: Paragraph) =>
    'link' in p
      ? `<p><a href="${escapeHtml(p.link.url)}">${escapeHtml(p.link.label)}</a></p>`
      : `<p>${escapeHtml(p.text)}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    ...paragraphs.map(htmlParagraph),
    '<hr>',
    ...footer.map((p) => `<small>${htmlParagraph(p)}</small>`),
    '</body></html>',
  ].join('\n');
  // Subjects are one line (a title with a newline must not become a header injection) and short.
  return { subject: subject.replace(/[\r\n]+/g, ' ').slice(0, 200), text, html };
}

export interface CouncilAlertMail {
  readonly title: string;
  readonly threshold: number;
  readonly purpose: 'council-consideration' | 'response' | 'debate' | string;
  readonly reachedAt: string;
  readonly signatureCount: number;
  readonly idempotencyKey: string;
  /** The community's time zone, for the date. */
  readonly timeZone: string;
  /** `<webOrigin>/council`. */
  readonly consoleUrl: string;
}

/** The e-mail to a community's council when a petition reaches a threshold. */
export function councilAlertMail(lang: MailLanguage, alert: CouncilAlertMail): RenderedMail {
  const purposeKey = `mail.purpose.${alert.purpose}` as MailKey;
  const purpose = purposeKey in uk ? mailText(lang, purposeKey) : alert.purpose;
  const values = {
    title: alert.title,
    threshold: mailPlural(lang, 'signatures', alert.threshold),
    purpose,
    reachedAt: formatMailDate(lang, alert.reachedAt, alert.timeZone),
    count: alert.signatureCount,
    url: alert.consoleUrl,
    key: alert.idempotencyKey,
  };
  return render(lang, mailText(lang, 'mail.alert.subject', values), [
    { text: mailText(lang, 'mail.alert.greeting') },
    { text: mailText(lang, 'mail.alert.body', values) },
    { text: mailText(lang, 'mail.alert.count', values) },
    { text: mailText(lang, 'mail.alert.console', values), link: { url: alert.consoleUrl, label: mailText(lang, 'mail.alert.consoleLink') } },
    { text: mailText(lang, 'mail.alert.key', values) },
  ]);
}

/** What a notification e-mail to a person is about (shared/domain/notifications.ts NotificationEvent, as rendered). */
export type PersonMailEvent =
  | { readonly type: 'petition-published'; readonly title: string; readonly petitionId: string }
  | { readonly type: 'petition-rejected'; readonly title: string; readonly petitionId: string; readonly explanation: string }
  | { readonly type: 'petition-threshold'; readonly title: string; readonly petitionId: string; readonly threshold: number }
  | { readonly type: 'petition-closed'; readonly title: string; readonly petitionId: string; readonly signatureCount: number }
  | { readonly type: 'petition-response'; readonly title: string; readonly petitionId: string; readonly decision: string; readonly text: string }
  | { readonly type: 'consultation-report'; readonly title: string; readonly consultationId: string }
  | { readonly type: 'budget-results'; readonly title: string; readonly budgetId: string; readonly winners?: readonly string[] }
  | { readonly type: 'budget-implementation'; readonly title: string; readonly budgetId: string; readonly status: string; readonly progress: number; readonly note: string }
  | {
      readonly type: 'budget-project-reviewed'; readonly title: string; readonly budgetId: string; readonly projectId: string; readonly admitted: boolean;
      readonly reason: string; readonly finalCost: number | null; readonly budgetTitle?: string | undefined; readonly currency?: string | undefined;
    };

/** An amount in whole units of the budget's currency ("15 000 ₴", "UAH 15,000"); the plain number when the currency is unknown. */
function formatMoney(lang: MailLanguage, amount: number, currency: string | undefined): string {
  if (currency) {
    try {
      return new Intl.NumberFormat(locales[lang], { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
    } catch {
      // Not an ISO 4217 code: the number and the code as written.
      return `${new Intl.NumberFormat(locales[lang]).format(amount)} ${currency}`;
    }
  }
  return new Intl.NumberFormat(locales[lang]).format(amount);
}

/** The e-mail to one person about one event, with the one-click unsubscribe link in its footer. */
export function personMail(lang: MailLanguage, event: PersonMailEvent, links: { readonly origin: string; readonly unsubscribeUrl: string }): RenderedMail {
  if (event.type === 'consultation-report') {
    const reportUrl = `${links.origin}/consultations/${encodeURIComponent(event.consultationId)}`;
    return render(lang, mailText(lang, 'mail.report.subject', { title: event.title }), [
      { text: mailText(lang, 'mail.report.body', { title: event.title }) },
      { text: mailText(lang, 'mail.report.link', { url: reportUrl }), link: { url: reportUrl, label: mailText(lang, 'mail.report.linkLabel') } },
    ], links.unsubscribeUrl);
  }
  if (event.type === 'budget-project-reviewed') {
    // The budget's page, scrolled to the project (the web app's link to one project: web/src/pages/search.tsx).
    const projectUrl = `${links.origin}/budgets/${encodeURIComponent(event.budgetId)}?project=${encodeURIComponent(event.projectId)}`;
    const decision = event.admitted ? 'admitted' : 'rejected';
    return render(lang, mailText(lang, `mail.projectReviewed.${decision}.subject`, { title: event.title }), [
      { text: mailText(lang, `mail.projectReviewed.${decision}.body`, { title: event.title }) },
      ...(event.budgetTitle ? [{ text: mailText(lang, 'mail.projectReviewed.budget', { budget: event.budgetTitle }) }] : []),
      ...(event.admitted && event.finalCost !== null ? [{ text: mailText(lang, 'mail.projectReviewed.finalCost', { cost: formatMoney(lang, event.finalCost, event.currency) }) }] : []),
      ...(!event.admitted && event.reason ? [{ text: mailText(lang, 'mail.projectReviewed.reason', { reason: event.reason }) }] : []),
      { text: mailText(lang, 'mail.project.link', { url: projectUrl }), link: { url: projectUrl, label: mailText(lang, 'mail.project.linkLabel') } },
    ], links.unsubscribeUrl);
  }
  if (event.type === 'budget-results' || event.type === 'budget-implementation') {
    const budgetUrl = `${links.origin}/budgets/${encodeURIComponent(event.budgetId)}`;
    const budgetLink: Paragraph = { text: mailText(lang, 'mail.budget.link', { url: budgetUrl }), link: { url: budgetUrl, label: mailText(lang, 'mail.budget.linkLabel') } };
    if (event.type === 'budget-results') {
      const winners = event.winners ?? [];
      const named = winners.slice(0, WINNERS_NAMED).map((w) => (lang === 'uk' ? `«${w}»` : `"${w}"`));
      if (winners.length > WINNERS_NAMED) named.push(mailText(lang, 'mail.budgetResults.more', { n: winners.length - WINNERS_NAMED }));
      const list = new Intl.ListFormat(locales[lang], { style: 'long', type: 'conjunction' }).format(named);
      return render(lang, mailText(lang, 'mail.budgetResults.subject', { title: event.title }), [
        { text: mailText(lang, 'mail.budgetResults.body', { title: event.title }) },
        ...(winners.length > 0 ? [{ text: mailText(lang, 'mail.budgetResults.winners', { list }) }] : []),
        budgetLink,
      ], links.unsubscribeUrl);
    }
    const statusKey = `mail.implementation.${event.status}`;
    const status = statusKey in uk ? mailText(lang, statusKey as MailKey) : event.status;
    const progress = new Intl.NumberFormat(locales[lang], { style: 'percent' }).format(event.progress / 100);
    return render(lang, mailText(lang, 'mail.implementation.subject', { title: event.title }), [
      { text: mailText(lang, 'mail.implementation.body', { title: event.title, status, progress }) },
      ...(event.note ? [{ text: mailText(lang, 'mail.implementation.note', { note: event.note }) }] : []),
      budgetLink,
    ], links.unsubscribeUrl);
  }
  const url = `${links.origin}/petitions/${encodeURIComponent(event.petitionId)}`;
  const link: Paragraph = { text: mailText(lang, 'mail.petition.link', { url }), link: { url, label: mailText(lang, 'mail.petition.linkLabel') } };
  const title = event.title;
  switch (event.type) {
    case 'petition-published':
      return render(lang, mailText(lang, 'mail.published.subject', { title }), [{ text: mailText(lang, 'mail.published.body', { title }) }, link], links.unsubscribeUrl);
    case 'petition-rejected':
      return render(lang, mailText(lang, 'mail.rejected.subject', { title }), [
        { text: mailText(lang, 'mail.rejected.body', { title }) },
        ...(event.explanation ? [{ text: mailText(lang, 'mail.rejected.explanation', { explanation: event.explanation }) }] : []),
        link,
      ], links.unsubscribeUrl);
    case 'petition-threshold': {
      const threshold = mailPlural(lang, 'signatures', event.threshold);
      return render(lang, mailText(lang, 'mail.threshold.subject', { title, threshold }), [{ text: mailText(lang, 'mail.threshold.body', { title, threshold }) }, link], links.unsubscribeUrl);
    }
    case 'petition-closed': {
      const count = mailPlural(lang, 'signatures', event.signatureCount);
      return render(lang, mailText(lang, 'mail.closed.subject', { title }), [{ text: mailText(lang, 'mail.closed.body', { title, count }) }, link], links.unsubscribeUrl);
    }
    case 'petition-response':
      return render(lang, mailText(lang, 'mail.response.subject', { title }), [
        { text: mailText(lang, 'mail.response.body', { title, decision: `mail.decision.${event.decision}` in uk ? mailText(lang, `mail.decision.${event.decision}` as MailKey) : event.decision }) },
        ...(event.text ? [{ text: mailText(lang, 'mail.response.text', { text: event.text }) }] : []),
        link,
      ], links.unsubscribeUrl);
  }
}
