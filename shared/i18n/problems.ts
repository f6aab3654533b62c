/**
 * Ukrainian texts for the API's problem details. The API answers in English unless the request's
 * `Accept-Language` prefers Ukrainian (machine clients keep a stable language); the web app always
 * sends its language, so it can show the server's reason as is. Pure: no AWS, no Node APIs.
 */
export const problemLanguages = ['en', 'uk'] as const;
export type ProblemLanguage = (typeof problemLanguages)[number];

/**
 * The language an `Accept-Language` header asks for among ours: the highest q that names `uk` or
 * `en` (any region), the first listed on a tie; English when neither is named.
 */
export function negotiateLanguage(header: string | undefined): ProblemLanguage {
  if (!header) return 'en';
  let best: { lang: ProblemLanguage; q: number } | undefined;
  for (const part of header.split(',').slice(0, 20)) {
    const [tag = '', ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0];
    if (primary !== 'uk' && primary !== 'en') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { lang: primary, q };
  }
  return best?.lang ?? 'en';
}

const ukTitles: Record<number, string> = {
  400: 'Неправильний запит',
  401: 'Потрібно увійти',
  403: 'Заборонено',
  404: 'Не знайдено',
  405: 'Метод не дозволено',
  409: 'Конфлікт',
  413: 'Завеликий запит',
  415: 'Непідтримуваний тип даних',
  422: 'Дані порушують правила',
  429: 'Забагато запитів',
  500: 'Внутрішня помилка',
  502: 'Помилка шлюзу',
  503: 'Сервіс тимчасово недоступний',
};

/** Details by problem code (the last segment of `type`). Where a code is missing, the English detail stays. */
const ukDetails: Record<string, string> = {
  // Request plumbing
  validation: 'Перевірте введені дані: деякі поля заповнені неправильно.',
  'malformed-json': 'Тіло запиту не є правильним JSON.',
  'unexpected-body': 'Цей запит не має тіла.',
  'invalid-cursor': 'Посилання на наступну сторінку застаріле; почніть список спочатку.',
  'community-required': 'Вкажіть громаду.',
  unauthorized: 'Увійдіть, щоб продовжити.',
  'role-required': 'Для цієї дії у вас немає потрібних повноважень.',
  'not-found': 'Такого запису немає.',
  'method-not-allowed': 'Цей метод тут не дозволено.',
  'body-too-large': 'Запит завеликий.',
  'unsupported-media-type': 'Непідтримуваний тип даних запиту.',
  'rate-limited': 'Забагато спроб. Спробуйте трохи пізніше.',
  unavailable: 'Сховище даних тимчасово недоступне; спробуйте ще раз за кілька секунд.',
  internal: 'Сталася неочікувана помилка. Повідомте ідентифікатор запиту, якщо звертаєтеся по допомогу.',
  'bad-gateway': 'Функція не відповіла. Спробуйте ще раз.',
  'unknown-community': 'Така громада не користується системою.',
  changed: 'Запис змінився, поки ви його редагували. Оновіть сторінку і спробуйте ще раз.',
  'updated-meanwhile': 'Запис змінився, поки ви його редагували. Оновіть сторінку і спробуйте ще раз.',
  // Petitions
  'not-open': 'Ця петиція зараз не відкрита для підписання.',
  'not-resident': 'Брати участь можуть лише мешканці громади.',
  'age-unknown': 'Потрібна ваша підтверджена дата народження.',
  'under-age': 'Ви ще не досягли віку, з якого можна брати участь.',
  'already-published': 'Вже опубліковано.',
  'already-answered': 'Відповідь уже надано.',
  'already-reported': 'Звіт уже опубліковано.',
  // Notifications
  'email-required': 'Ваш обліковий запис не має адреси електронної пошти, тож листи нікуди надсилати. Додайте адресу в обліковому записі та увійдіть знову.',
  // Consultations
  'not-open-yet': 'Консультація ще не розпочалася.',
  closed: 'Консультацію завершено.',
  hidden: 'Цей запис приховано.',
  'answer-required': 'Дайте відповідь на обов’язкове запитання.',
  'own-contribution': 'Поскаржитися на власний коментар чи пропозицію не можна.',
  'other-community': 'Модератори діють лише у своїй громаді.',
  // Budgets and school codes
  'wrong-phase': 'Зараз цей бюджет не на тому етапі, який дозволяє цю дію.',
  'citizens-only': 'Проєкти подають мешканці громади.',
  'school-codes-only': 'У цьому шкільному бюджеті голосують одноразовими кодами, які видає школа.',
  'no-codes': 'У цьому бюджеті не голосують кодами; увійдіть, щоб проголосувати.',
  'invalid-code': 'Цей код не належить до цього бюджету. Перевірте, чи ви відкрили посилання зі своєї картки.',
  'code-used': 'Цим кодом уже проголосували. Кожен код діє лише один раз.',
  'code-mistyped': 'У коді помилка: звірте кожен символ із карткою.',
  'code-malformed': 'Код складається з 16 літер і цифр, наприклад 7K3M-ZQ1T-9XW2-D4FA.',
  'already-voted': 'Ви вже проголосували в цьому бюджеті; бюлетень змінити не можна.',
  'ballot-id-reused': 'Цей бюлетень уже подано з іншим вибором.',
  'ballot-id-taken': 'Цей бюлетень уже подано з іншим вибором.',
  'counting-started': 'Підрахунок уже розпочато.',
  'over-budget': 'Вибране коштує більше, ніж дозволяють правила бюджету.',
  'results-not-published': 'Результати ще не опубліковано.',
  'results-after-voting': 'Результати буде видно після завершення голосування.',
  'results-after-close': 'Результати буде видно після завершення.',
  'ballots-after-voting': 'Бюлетені буде опубліковано після завершення голосування.',
  'voting-not-closed': 'Голосування ще триває.',
};

export interface LocalizableProblem {
  status: number;
  /** The problem code: the last segment of its `type`. */
  code: string;
  title: string;
  detail: string;
}

/** The title and detail in `lang` (English as given; Ukrainian from the catalogues where known). */
export function localizeProblem(problem: LocalizableProblem, lang: ProblemLanguage): { title: string; detail: string } {
  if (lang === 'en') return { title: problem.title, detail: problem.detail };
  return {
    title: ukTitles[problem.status] ?? 'Помилка',
    detail: ukDetails[problem.code] ?? problem.detail,
  };
}

/** For tests and reviews: every code the Ukrainian catalogue knows. */
export const ukProblemCodes = Object.keys(ukDetails);
