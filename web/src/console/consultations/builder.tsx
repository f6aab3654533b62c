import { useState } from 'preact/hooks';
import type { questionTypes as questionTypeList } from '#shared/domain/consultations/consultation.ts';
import { call } from '../../api.ts';
import { t } from '../../i18n.ts';
import { useTitle } from '../../pages/common.tsx';
import { navigate } from '../../router.ts';

type QuestionType = (typeof questionTypeList)[number];
const questionTypes = ['single', 'multiple', 'ranked', 'open'] as const satisfies readonly QuestionType[];

interface DraftQuestion {
  key: number;
  type: QuestionType;
  text: string;
  options: { key: number; text: string }[];
  maxChoices: string;
  required: boolean;
}

let nextKey = 1;
const newQuestion = (): DraftQuestion => ({
  key: nextKey++, type: 'single', text: '', options: [{ key: nextKey++, text: '' }, { key: nextKey++, text: '' }], maxChoices: '', required: true,
});

/** A `datetime-local` value (the browser's time zone), `minutes` from now, to the minute (opening now means now). */
function localInput(minutesFromNow: number): string {
  const d = new Date(Date.now() + minutesFromNow * 60_000);
  d.setSeconds(0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** What the form breaks, in words, before anything is sent; the API checks the same rules again (422). */
function check(title: string, draft: string, opensAt: string, closesAt: string, questions: DraftQuestion[]): string[] {
  const errors: string[] = [];
  if (title.trim().length < 5) errors.push(t('staff.consult.error.title'));
  if (draft.trim().length > 0 && draft.trim().length < 20) errors.push(t('staff.consult.error.draft'));
  const opens = Date.parse(opensAt);
  const closes = Date.parse(closesAt);
  if (!(closes > opens) || !(closes > Date.now())) errors.push(t('staff.consult.error.dates'));
  questions.forEach((q, i) => {
    const n = i + 1;
    if (q.text.trim().length < 3) errors.push(t('staff.consult.error.questionText', { n }));
    if (q.type === 'open') return;
    const filled = q.options.filter((o) => o.text.trim()).length;
    if (filled < 2) errors.push(t('staff.consult.error.options', { n }));
    if (q.type !== 'single' && q.maxChoices !== '') {
      const max = Number(q.maxChoices);
      if (!Number.isInteger(max) || max < 1 || max > filled) errors.push(t('staff.consult.error.maxChoices', { n }));
    }
  });
  return errors;
}

function QuestionEditor({ q, n, onChange, onRemove }: { q: DraftQuestion; n: number; onChange: (q: DraftQuestion) => void; onRemove?: () => void }) {
  const id = `q${q.key}`;
  const value = (e: Event) => (e.target as HTMLInputElement).value;
  return (
    <fieldset class="question">
      <legend>{t('staff.consult.question', { n })}</legend>
      <label for={`${id}-type`}>{t('staff.consult.field.type')}</label>
      <select id={`${id}-type`} value={q.type} onChange={(e) => onChange({ ...q, type: value(e) as QuestionType, maxChoices: '' })}>
        {questionTypes.map((type) => <option key={type} value={type}>{t(`staff.consult.type.${type}`)}</option>)}
      </select>
      <label for={`${id}-text`}>{t('staff.consult.field.text')}</label>
      <input id={`${id}-text`} type="text" maxLength={500} value={q.text} onInput={(e) => onChange({ ...q, text: value(e) })} />
      {q.type !== 'open' && (
        <fieldset class="options">
          <legend>{t('staff.consult.options')}</legend>
          {q.options.map((o, i) => (
            <div class="option-row" key={o.key}>
              <label for={`${id}-o${o.key}`}>{t('staff.consult.option', { n: i + 1 })}</label>
              <div class="inline">
                <input
                  id={`${id}-o${o.key}`} type="text" maxLength={200} value={o.text}
                  onInput={(e) => onChange({ ...q, options: q.options.map((x) => (x.key === o.key ? { ...x, text: value(e) } : x)) })}
                />
                {q.options.length > 2 && (
                  <button type="button" class="secondary small" aria-label={t('staff.consult.removeOption', { n: i + 1 })}
                    onClick={() => onChange({ ...q, options: q.options.filter((x) => x.key !== o.key) })}>×</button>
                )}
              </div>
            </div>
          ))}
          {q.options.length < 20 && (
            <button type="button" class="secondary small" onClick={() => onChange({ ...q, options: [...q.options, { key: nextKey++, text: '' }] })}>{t('staff.consult.addOption')}</button>
          )}
        </fieldset>
      )}
      {(q.type === 'multiple' || q.type === 'ranked') && (
        <>
          <label for={`${id}-max`}>{t(q.type === 'multiple' ? 'staff.consult.field.maxChoices' : 'staff.consult.field.maxRanked')}</label>
          <input id={`${id}-max`} type="number" inputMode="numeric" min={1} max={q.options.length} value={q.maxChoices} onInput={(e) => onChange({ ...q, maxChoices: value(e) })} />
        </>
      )}
      <div class="choice">
        <input id={`${id}-required`} type="checkbox" checked={q.required} onChange={(e) => onChange({ ...q, required: (e.target as HTMLInputElement).checked })} />
        <label for={`${id}-required`}>{t('staff.consult.field.required')}</label>
      </div>
      {onRemove && <button type="button" class="secondary small" onClick={onRemove}>{t('staff.consult.removeQuestion', { n })}</button>}
    </fieldset>
  );
}

/** /console/consultations/new: the question builder (single, multiple with a maximum, ranked, open) and the schedule. */
export function ConsultationBuilderPage() {
  useTitle(t('staff.consult.builder'));
  const [title, setTitle] = useState('');
  const [draft, setDraft] = useState('');
  const [opensAt, setOpensAt] = useState(localInput(0));
  const [closesAt, setClosesAt] = useState(localInput(14 * 24 * 60));
  const [minAge, setMinAge] = useState('18');
  const [visibility, setVisibility] = useState<'after-close' | 'live'>('after-close');
  const [questions, setQuestions] = useState<DraftQuestion[]>([newQuestion()]);
  const [errors, setErrors] = useState<string[]>([]);
  const [sending, setSending] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const found = check(title, draft, opensAt, closesAt, questions);
    setErrors(found);
    if (found.length > 0) {
      requestAnimationFrame(() => document.getElementById('builder-errors')?.focus());
      return;
    }
    setSending(true);
    const result = await call('createConsultation', {
      body: {
        title: title.trim(),
        ...(draft.trim() ? { draftText: draft.trim() } : {}),
        opensAt: new Date(opensAt).toISOString(),
        closesAt: new Date(closesAt).toISOString(),
        eligibility: { minAge: Number(minAge) || 0 },
        resultsVisibility: visibility,
        questions: questions.map((q, i) => ({
          id: `q${i + 1}`,
          type: q.type,
          text: q.text.trim(),
          required: q.required,
          ...(q.type === 'open' ? {} : { options: q.options.filter((o) => o.text.trim()).map((o, j) => ({ id: `o${j + 1}`, text: o.text.trim() })) }),
          ...(q.type !== 'open' && q.type !== 'single' && q.maxChoices !== '' ? { maxChoices: Number(q.maxChoices) } : {}),
        })),
      },
    });
    setSending(false);
    if (result.ok) return navigate(`/console/consultations/${result.data.id}`);
    setErrors(['offline' in result ? t('common.offlineNoCopy') : (result.problem.detail ?? result.problem.title)]);
    requestAnimationFrame(() => document.getElementById('builder-errors')?.focus());
  }

  return (
    <section>
      <h1>{t('staff.consult.builder')}</h1>
      <p class="muted">{t('staff.consult.builderIntro')}</p>
      <form onSubmit={submit} noValidate class="console-form builder">
        {errors.length > 0 && (
          <div id="builder-errors" class="notice error" role="alert" tabIndex={-1}>
            <ul>{errors.map((e) => <li key={e}>{e}</li>)}</ul>
          </div>
        )}
        <label for="c-title">{t('staff.consult.field.title')}</label>
        <input id="c-title" type="text" maxLength={200} value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
        <label for="c-draft">{t('staff.consult.field.draft')}</label>
        <p id="c-draft-hint" class="hint">{t('staff.consult.field.draftHint')}</p>
        <textarea id="c-draft" rows={6} aria-describedby="c-draft-hint" value={draft} onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)} />
        <fieldset>
          <legend>{t('staff.consult.schedule')}</legend>
          <label for="c-opens">{t('staff.consult.field.opensAt')}</label>
          <input id="c-opens" type="datetime-local" value={opensAt} onInput={(e) => setOpensAt((e.target as HTMLInputElement).value)} />
          <label for="c-closes">{t('staff.consult.field.closesAt')}</label>
          <input id="c-closes" type="datetime-local" value={closesAt} onInput={(e) => setClosesAt((e.target as HTMLInputElement).value)} />
          <label for="c-age">{t('staff.consult.field.minAge')}</label>
          <input id="c-age" type="number" inputMode="numeric" min={0} max={120} value={minAge} onInput={(e) => setMinAge((e.target as HTMLInputElement).value)} />
        </fieldset>
        <fieldset>
          <legend>{t('staff.consult.results')}</legend>
          {(['after-close', 'live'] as const).map((v) => (
            <div class="choice" key={v}>
              <input type="radio" id={`c-vis-${v}`} name="visibility" checked={visibility === v} onChange={() => setVisibility(v)} />
              <label for={`c-vis-${v}`}>{t(`staff.consult.results.${v}`)}</label>
            </div>
          ))}
        </fieldset>
        <h2>{t('staff.consult.questions')}</h2>
        {questions.map((q, i) => (
          <QuestionEditor
            key={q.key} q={q} n={i + 1}
            onChange={(changed) => setQuestions(questions.map((x) => (x.key === q.key ? changed : x)))}
            {...(questions.length > 1 ? { onRemove: () => setQuestions(questions.filter((x) => x.key !== q.key)) } : {})}
          />
        ))}
        {questions.length < 20 && (
          <p><button type="button" class="secondary" onClick={() => setQuestions([...questions, newQuestion()])}>{t('staff.consult.addQuestion')}</button></p>
        )}
        <p><button type="submit" class="primary" disabled={sending}>{sending ? t('staff.consult.publishing') : t('staff.consult.publish')}</button></p>
      </form>
    </section>
  );
}
