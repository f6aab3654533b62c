import { useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { person } from '../../auth.ts';
import { t } from '../../i18n.ts';
import { navigate } from '../../router.ts';
import { useTitle } from '../../pages/common.tsx';

const ballotTypes = ['approval', 'choose-1', 'knapsack', 'cumulative', 'ordinal'] as const;
const ruleNames = ['greedy', 'greedy-no-skip', 'greedy-threshold', 'fixed-winners-per-category', 'equal-shares'] as const;
const phaseFields = ['submission', 'preSupport', 'review', 'voting', 'results', 'implementation', 'paperCountEnds'] as const;
type PhaseField = (typeof phaseFields)[number];
type BallotType = (typeof ballotTypes)[number];
type RuleName = (typeof ruleNames)[number];

interface CategoryRow {
  id: string;
  name: string;
  amount: string;
  winners: string;
  minimum: string;
}

/** `<input type="datetime-local">` gives local time without a zone: the browser's zone makes it an instant. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : '');
const localInput = (date: Date) => new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

function defaultSchedule(): Record<PhaseField, string> {
  const day = 86_400_000;
  const start = new Date();
  start.setHours(9, 0, 0, 0);
  const at = (days: number) => localInput(new Date(start.getTime() + days * day));
  return { submission: at(1), preSupport: at(31), review: at(45), voting: at(75), results: at(90), implementation: at(120), paperCountEnds: '' };
}

/**
 * A new participatory budget: kind, money and categories, the dated phases, who may vote, the ballot
 * and the rule that picks the winners (each explained beside its choice). The API checks every rule
 * again and names the one broken.
 */
export function CreateBudgetPage() {
  useTitle(t('console.newBudget.title'));
  const me = person.value!;
  const [kind, setKind] = useState<'public' | 'school'>('public');
  const [schoolId, setSchoolId] = useState('');
  const [students, setStudents] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [total, setTotal] = useState('');
  const [currency, setCurrency] = useState('UAH');
  const [categories, setCategories] = useState<CategoryRow[]>([]);
  const [schedule, setSchedule] = useState(defaultSchedule);
  const [minAge, setMinAge] = useState('16');
  const [preSupport, setPreSupport] = useState('15');
  const [ballotType, setBallotType] = useState<BallotType>('approval');
  const [maxProjects, setMaxProjects] = useState('3');
  const [maxPoints, setMaxPoints] = useState('10');
  const [rule, setRule] = useState<RuleName>('greedy');
  const [rankBy, setRankBy] = useState<'votes' | 'score'>('votes');
  const [minimum, setMinimum] = useState('0');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const setRow = (i: number, patch: Partial<CategoryRow>) => setCategories((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const int = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s) : NaN);

  async function submit(event: Event) {
    event.preventDefault();
    const money = int(total);
    if (title.trim().length < 5) return setError(t('console.newBudget.titleNeeded'));
    if (!(money > 0)) return setError(t('console.newBudget.totalNeeded'));
    if (categories.length && categories.reduce((s, c) => s + (int(c.amount) || 0), 0) !== money) return setError(t('console.newBudget.categoriesSum'));
    if (kind === 'school' && (!schoolId.trim() || !(int(students) > 0))) return setError(t('console.newBudget.schoolNeeded'));
    const ballotRules =
      ballotType === 'approval' ? { type: 'approval' as const, projects: { min: 1, max: int(maxProjects) || 1 } }
        : ballotType === 'knapsack' ? { type: 'knapsack' as const, maxTotalCost: money }
          : ballotType === 'cumulative' ? { type: 'cumulative' as const, maxSumPoints: int(maxPoints) || 1 }
            : ballotType === 'ordinal' ? { type: 'ordinal' as const, minLength: 1, maxLength: int(maxProjects) || 1 }
              : { type: 'choose-1' as const };
    const winnerRule =
      rule === 'equal-shares' ? { name: rule, utility: 'cost' as const, completion: 'add1' as const, comparison: 'none' as const }
        : rule === 'greedy-threshold' ? { name: rule, rankBy, minimum: int(minimum) || 0 }
          : rule === 'fixed-winners-per-category'
            ? { name: rule, rankBy, categories: Object.fromEntries(categories.map((c) => [c.id, { winners: int(c.winners) || 0, minimum: int(c.minimum) || 0 }])) }
            : { name: rule, rankBy };
    const dates = Object.fromEntries(phaseFields.map((f) => [f, toIso(schedule[f])])) as Record<PhaseField, string>;
    setError(null);
    setSending(true);
    const result = await call('createBudget', {
      body: {
        kind,
        ...(kind === 'school' ? { schoolId: schoolId.trim(), students: int(students) } : {}),
        title: title.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        money: { currency, total: money, ...(categories.length ? { categories: categories.map((c) => ({ id: c.id.trim(), name: c.name.trim(), amount: int(c.amount) })) } : {}) },
        schedule: {
          submission: dates.submission, preSupport: dates.preSupport || null, review: dates.review, voting: dates.voting, results: dates.results,
          implementation: dates.implementation, ...(kind === 'public' ? { paperCountEnds: dates.paperCountEnds || null } : {}),
        },
        ...(kind === 'public' ? { eligibility: { minAge: int(minAge) } } : {}),
        preSupport: { required: int(preSupport) || 0 },
        ballotRules,
        rule: winnerRule,
      },
    });
    setSending(false);
    if (result.ok) navigate(`/console/budgets/${result.data.id}`);
    else setError('offline' in result ? t('console.budgets.needsConnection') : (result.problem.detail ? `${result.problem.title}: ${result.problem.detail}` : result.problem.title));
  }

  return (
    <section>
      <p class="crumbs"><a href="/console/budgets">{t('console.budgets.title')}</a></p>
      <h1>{t('console.newBudget.title')}</h1>
      <form onSubmit={submit} noValidate class="create-budget">
        <fieldset>
          <legend>{t('console.newBudget.kind')}</legend>
          {(['public', 'school'] as const).map((k) => (
            <div class="choice" key={k}>
              <input type="radio" id={`kind-${k}`} name="kind" checked={kind === k} onChange={() => setKind(k)} />
              <label for={`kind-${k}`}>{k === 'public' ? t('console.budgets.public') : t('console.newBudget.schoolKind')}</label>
            </div>
          ))}
          {kind === 'school' && (
            <>
              <label for="school-id">{t('console.newBudget.schoolId')}</label>
              <input id="school-id" value={schoolId} onInput={(e) => setSchoolId(e.currentTarget.value)} />
              <label for="students">{t('console.newBudget.students')}</label>
              <input id="students" type="number" inputMode="numeric" min={1} value={students} onInput={(e) => setStudents(e.currentTarget.value)} />
            </>
          )}
          <p class="hint">{t('console.newBudget.community', { community: me.community ?? '' })}</p>
        </fieldset>
        <label for="title">{t('console.newBudget.titleLabel')}</label>
        <input id="title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        <label for="description">{t('console.newBudget.description')}</label>
        <textarea id="description" rows={4} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />

        <fieldset>
          <legend>{t('console.newBudget.money')}</legend>
          <label for="total">{t('console.newBudget.total')}</label>
          <input id="total" type="number" inputMode="numeric" min={1} value={total} onInput={(e) => setTotal(e.currentTarget.value)} />
          <label for="currency">{t('console.newBudget.currency')}</label>
          <input id="currency" value={currency} maxLength={3} onInput={(e) => setCurrency(e.currentTarget.value.toUpperCase())} />
          <p class="hint">{t('console.newBudget.categoriesHint')}</p>
          {categories.map((c, i) => (
            <fieldset key={i} class="category-row">
              <legend>{t('console.newBudget.category', { n: i + 1 })}</legend>
              <label for={`cat-id-${i}`}>{t('console.newBudget.categoryId')}</label>
              <input id={`cat-id-${i}`} value={c.id} onInput={(e) => setRow(i, { id: e.currentTarget.value })} />
              <label for={`cat-name-${i}`}>{t('console.newBudget.categoryName')}</label>
              <input id={`cat-name-${i}`} value={c.name} onInput={(e) => setRow(i, { name: e.currentTarget.value })} />
              <label for={`cat-amount-${i}`}>{t('console.newBudget.categoryAmount')}</label>
              <input id={`cat-amount-${i}`} type="number" inputMode="numeric" value={c.amount} onInput={(e) => setRow(i, { amount: e.currentTarget.value })} />
              {rule === 'fixed-winners-per-category' && (
                <>
                  <label for={`cat-winners-${i}`}>{t('console.newBudget.categoryWinners')}</label>
                  <input id={`cat-winners-${i}`} type="number" inputMode="numeric" value={c.winners} onInput={(e) => setRow(i, { winners: e.currentTarget.value })} />
                  <label for={`cat-min-${i}`}>{t('console.newBudget.categoryMinimum')}</label>
                  <input id={`cat-min-${i}`} type="number" inputMode="numeric" value={c.minimum} onInput={(e) => setRow(i, { minimum: e.currentTarget.value })} />
                </>
              )}
              <button type="button" class="link" onClick={() => setCategories((rows) => rows.filter((_, j) => j !== i))}>{t('console.newBudget.removeCategory')}</button>
            </fieldset>
          ))}
          <button type="button" class="secondary" onClick={() => setCategories((rows) => [...rows, { id: '', name: '', amount: '', winners: '1', minimum: '0' }])}>{t('console.newBudget.addCategory')}</button>
        </fieldset>

        <fieldset>
          <legend>{t('console.newBudget.schedule')}</legend>
          <p class="hint">{t('console.newBudget.scheduleHint')}</p>
          {phaseFields.filter((f) => kind === 'public' || f !== 'paperCountEnds').map((f) => (
            <div key={f}>
              <label for={`at-${f}`}>{t(`console.newBudget.at.${f}`)}</label>
              <input id={`at-${f}`} type="datetime-local" value={schedule[f]} onInput={(e) => { const v = e.currentTarget.value; setSchedule((s) => ({ ...s, [f]: v })); }} />
            </div>
          ))}
        </fieldset>

        <fieldset>
          <legend>{t('console.newBudget.eligibility')}</legend>
          {kind === 'public'
            ? (
              <>
                <label for="min-age">{t('console.newBudget.minAge')}</label>
                <input id="min-age" type="number" inputMode="numeric" min={0} value={minAge} onInput={(e) => setMinAge(e.currentTarget.value)} />
              </>
            )
            : <p>{t('console.newBudget.schoolCodes')}</p>}
          <label for="pre-support">{t('console.newBudget.preSupport')}</label>
          <input id="pre-support" type="number" inputMode="numeric" min={0} value={preSupport} onInput={(e) => setPreSupport(e.currentTarget.value)} />
        </fieldset>

        <fieldset>
          <legend>{t('console.newBudget.ballot')}</legend>
          <label for="ballot-type">{t('console.newBudget.ballotType')}</label>
          <select id="ballot-type" value={ballotType} aria-describedby="ballot-explained" onChange={(e) => setBallotType(e.currentTarget.value as BallotType)}>
            {ballotTypes.map((b) => <option key={b} value={b}>{t(`console.ballotType.${b}`)}</option>)}
          </select>
          <p id="ballot-explained" class="hint">{t(`console.ballotTypeExplained.${ballotType}`)}</p>
          {(ballotType === 'approval' || ballotType === 'ordinal') && (
            <>
              <label for="max-projects">{t('console.newBudget.maxProjects')}</label>
              <input id="max-projects" type="number" inputMode="numeric" min={1} value={maxProjects} onInput={(e) => setMaxProjects(e.currentTarget.value)} />
            </>
          )}
          {ballotType === 'cumulative' && (
            <>
              <label for="max-points">{t('console.newBudget.maxPoints')}</label>
              <input id="max-points" type="number" inputMode="numeric" min={1} value={maxPoints} onInput={(e) => setMaxPoints(e.currentTarget.value)} />
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>{t('console.newBudget.rule')}</legend>
          <label for="rule">{t('console.newBudget.ruleName')}</label>
          <select id="rule" value={rule} aria-describedby="rule-explained" onChange={(e) => setRule(e.currentTarget.value as RuleName)}>
            {ruleNames.map((r) => <option key={r} value={r}>{t(`console.budgetRuleName.${r}`)}</option>)}
          </select>
          <p id="rule-explained" class="hint">{t(`console.budgetRule.${rule}`)}</p>
          {rule !== 'equal-shares' && (
            <>
              <label for="rank-by">{t('console.newBudget.rankBy')}</label>
              <select id="rank-by" value={rankBy} onChange={(e) => setRankBy(e.currentTarget.value as 'votes' | 'score')}>
                <option value="votes">{t('console.newBudget.rankVotes')}</option>
                <option value="score">{t('console.newBudget.rankScore')}</option>
              </select>
            </>
          )}
          {rule === 'greedy-threshold' && (
            <>
              <label for="minimum">{t('console.newBudget.minimum')}</label>
              <input id="minimum" type="number" inputMode="numeric" min={0} value={minimum} onInput={(e) => setMinimum(e.currentTarget.value)} />
            </>
          )}
        </fieldset>
        <div role="alert">{error && <p class="notice error">{error}</p>}</div>
        <button type="submit" class="primary" disabled={sending}>{sending ? t('console.newBudget.creating') : t('console.newBudget.submit')}</button>
      </form>
    </section>
  );
}
