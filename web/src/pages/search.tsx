import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { call, type Ok, type Result } from '../api.ts';
import { t } from '../i18n.ts';
import { useLoad } from '../load.ts';
import { location$, navigate } from '../router.ts';
import { LoadError, Loading, useTitle } from './common.tsx';

type Hit = Ok<'searchCommunity'>['items'][number];
const types = ['petition', 'consultation', 'project'] as const;
type Kind = (typeof types)[number];

/** Where a hit lives in the app (the API gives its own path). */
function hrefOf(hit: Hit): string {
  if (hit.type === 'petition') return `/petitions/${hit.id}`;
  if (hit.type === 'consultation') return `/consultations/${hit.id}`;
  const [budgetId, projectId] = hit.id.split(':');
  return `/budgets/${budgetId}?project=${encodeURIComponent(projectId ?? '')}`;
}

/** The snippet with its matched words marked (<mark>), as text nodes: nothing the server sends is HTML. */
function Snippet({ hit }: { hit: Hit }) {
  const parts: JSX.Element[] = [];
  let at = 0;
  for (const [start, end] of [...hit.highlights].sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    if (start > at) parts.push(<span key={`t${at}`}>{hit.snippet.slice(at, start)}</span>);
    parts.push(<mark key={`m${start}`}>{hit.snippet.slice(start, end)}</mark>);
    at = end;
  }
  if (at < hit.snippet.length) parts.push(<span key={`t${at}`}>{hit.snippet.slice(at)}</span>);
  return <p class="snippet">{parts}</p>;
}

const noSearch = (): Promise<Result<'searchCommunity'>> => Promise.resolve({ ok: true, status: 200, data: { items: [], nextCursor: null } });

export function SearchPage() {
  useTitle(t('search.title'));
  const query = new URLSearchParams(location$.value.search);
  const q = (query.get('q') ?? '').trim();
  const typeParam = query.get('type');
  const type = (types as readonly string[]).includes(typeParam ?? '') ? (typeParam as Kind) : undefined;
  const [text, setText] = useState(q);
  const [kind, setKind] = useState<Kind | ''>(type ?? '');
  const [loaded, retry] = useLoad(`search:${q}:${type ?? ''}`, () =>
    q ? call('searchCommunity', { query: { q, limit: 20, ...(type ? { type } : {}) } }) : noSearch());

  function submit(event: Event) {
    event.preventDefault();
    const params = new URLSearchParams();
    if (text.trim()) params.set('q', text.trim());
    if (kind) params.set('type', kind);
    navigate(`/search?${params}`);
  }

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{t('search.title')}</h1>
      <form role="search" onSubmit={submit}>
        <label for="search-q">{t('search.label')}</label>
        <input id="search-q" type="search" name="q" value={text} maxLength={200} aria-describedby="search-hint" enterKeyHint="search"
          onInput={(e) => setText(e.currentTarget.value)} />
        <p id="search-hint" class="hint">{t('search.hint')}</p>
        <label for="search-type">{t('search.type.label')}</label>
        <select id="search-type" name="type" value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind | '')}>
          <option value="">{t('search.type.all')}</option>
          {types.map((k) => <option key={k} value={k}>{t(`search.type.${k}`)}</option>)}
        </select>
        <p><button type="submit" class="primary">{t('search.submit')}</button></p>
      </form>
      {q && (loaded.state === 'loading' ? <Loading /> : !loaded.result.ok ? <LoadError result={loaded.result} retry={retry} /> : (
        <div aria-live="polite">
          <h2>{loaded.result.data.items.length === 0 ? t('search.none') : t('search.found', { count: loaded.result.data.items.length })}</h2>
          <ul class="hits">
            {loaded.result.data.items.map((hit) => (
              <li key={`${hit.type}:${hit.id}`} class="card">
                <p class="status">{t(`search.kind.${hit.type}`)}</p>
                <h3><a href={hrefOf(hit)}>{hit.title}</a></h3>
                <Snippet hit={hit} />
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
