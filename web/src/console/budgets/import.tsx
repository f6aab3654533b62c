import { useRef, useState } from 'preact/hooks';
import { pathOf, type Ok } from '../../api.ts';
import { token } from '../../auth.ts';
import { lang, t } from '../../i18n.ts';
import { useTitle } from '../../pages/common.tsx';

type Imported = Ok<'importBudget'>;
/** The API's own limit (shared/http/routes/budgets.ts IMPORT_MAX_BYTES). */
const MAX_BYTES = 5 * 1024 * 1024;

/**
 * Sends a Pabulib .pb file as text. A big file is written in parts: the API answers 202 with how
 * much is written, and the same file sent again continues where it stopped, until 201 (or 200:
 * imported before). The request is the route's plain-text body, so it is sent here, not by call().
 */
async function send(text: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(pathOf('importBudget'), {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=utf-8', accept: 'application/json', 'accept-language': lang.value, ...(token.value ? { authorization: `Bearer ${token.value}` } : {}) },
    body: text,
  });
  const raw = await res.text();
  let body: unknown;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}

export function ImportBudgetPage() {
  useTitle(t('console.budgetImport.title'));
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ written: number; total: number } | null>(null);
  const [done, setDone] = useState<{ again: boolean; data: Imported } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function start(event: Event) {
    event.preventDefault();
    if (!file) {
      setError(t('console.budgetImport.chooseFile'));
      input.current?.focus();
      return;
    }
    if (file.size > MAX_BYTES) return setError(t('console.budgetImport.tooBig'));
    setError(null);
    setDone(null);
    setSending(true);
    const text = await file.text();
    try {
      for (let round = 0; round < 1000; round++) {
        const { status, body } = await send(text);
        if (status === 202) {
          setProgress((body as Imported).progress ?? null);
          continue;
        }
        if (status === 200 || status === 201) {
          setDone({ again: status === 200, data: body as Imported });
          setProgress(null);
        } else {
          const problem = (body ?? {}) as { title?: string; detail?: string };
          setError(problem.detail ? `${problem.title ?? ''}: ${problem.detail}` : (problem.title ?? t('common.error')));
        }
        break;
      }
    } catch {
      setError(t('console.budgetImport.offline'));
    }
    setSending(false);
  }

  return (
    <section>
      <p class="crumbs"><a href="/console/budgets">{t('console.budgets.title')}</a></p>
      <h1>{t('console.budgetImport.title')}</h1>
      <p>{t('console.budgetImport.intro')}</p>
      <form onSubmit={start} noValidate>
        <label for="pb-file">{t('console.budgetImport.file')}</label>
        <input ref={input} id="pb-file" type="file" accept=".pb,text/plain" onChange={(e) => { setFile(e.currentTarget.files?.[0] ?? null); setError(null); }} />
        <div role="alert">{error && <p class="notice error">{error}</p>}</div>
        <button type="submit" class="primary" disabled={sending}>{sending ? t('console.budgetImport.importing') : t('console.budgetImport.start')}</button>
      </form>
      <div role="status" aria-live="polite">
        {sending && (
          <>
            <p>{progress ? t('console.budgetImport.progress', { written: progress.written, total: progress.total }) : t('console.budgetImport.sending')}</p>
            <progress aria-label={t('console.budgetImport.title')} max={progress?.total ?? 1} value={progress?.written ?? 0} />
          </>
        )}
        {done && (
          <div class="notice success">
            <p>{done.again ? t('console.budgetImport.already') : t('console.budgetImport.done')}</p>
            <p>{t('console.budgetImport.summary', { projects: done.data.projects, ballots: done.data.ballots })}</p>
            {done.data.recount.matchesFile !== null && <p>{done.data.recount.matchesFile ? t('console.budgetImport.matches') : t('console.budgetImport.differs')}</p>}
            <p><a href={`/console/budgets/${done.data.budget.id}/results`}>{done.data.budget.title}</a></p>
          </div>
        )}
      </div>
    </section>
  );
}
