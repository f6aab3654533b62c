import { documentClient } from '#shared/data/client.ts';
import { getCommunity, resolveCommunity } from '#shared/data/communities.ts';
import { budgetProjects, budgetsWithPublicResults } from '#shared/data/open-data.ts';
import { currentSnapshot } from '#shared/open-data/snapshots.ts';
import { publicPetitionsOf } from '#shared/domain/open-data/snapshot.ts';
import { consultationColumns } from '#shared/domain/open-data/consultations.ts';
import { budgetColumns, budgetsModified, pabulibEntry } from '#shared/domain/open-data/budgets.ts';
import { signaturesPerDayColumns } from '#shared/domain/open-data/signatures.ts';
import { datasetEntry, lastModified, petitionColumns } from '#shared/domain/open-data/petitions.ts';
import { httpHandler } from '#shared/http/handler.ts';

export const handler = httpHandler('openDataCatalogue', async ({ query }) => {
  const db = documentClient();
  const community = await getCommunity(db, resolveCommunity(query.community));
  const [snapshot, budgets] = await Promise.all([currentSnapshot(db, community.id), budgetsWithPublicResults(db, community.id)]);
  const petitions = publicPetitionsOf(snapshot);
  const consultations = Object.values(snapshot.consultations);
  const budgetsWithProjects = await Promise.all(budgets.map(async (budget) => ({ budget, projects: await budgetProjects(db, budget) })));
  const consultationsModified = consultations.reduce<string | null>((latest, c) => {
    const at = [c.createdAt, c.report?.publishedAt].filter((x): x is string => typeof x === 'string').sort().at(-1) ?? null;
    return at !== null && (latest === null || at > latest) ? at : latest;
  }, null);
  const datasets = [
    datasetEntry({
      id: `${community.id}-petitions`,
      title: `Petitions: ${community.name}`,
      description:
        'Every public petition of the community (open, closed, rejected): signature counts, the threshold that asks for the ' +
        "council's response and when it was reached, rejection reasons, the council's responses. Title withheld where the " +
        'rejection reason requires it (personal data, offensive or unlawful content).',
      community: { id: community.id, name: community.name },
      path: '/v1/open-data/petitions',
      modified: lastModified(petitions),
      keywords: ['petitions', 'e-democracy', 'петиції'],
      columns: petitionColumns,
    }),
    datasetEntry({
      id: `${community.id}-consultations`,
      title: `Consultations and polls: ${community.name}`,
      description:
        'Every consultation and poll of the community: kind, state, period, when results are public, the final report; ' +
        'each row links to its results and to its own export (answers counted per question).',
      community: { id: community.id, name: community.name },
      path: '/v1/open-data/consultations',
      modified: consultationsModified,
      keywords: ['consultations', 'polls', 'консультації'],
      columns: consultationColumns,
    }),
    datasetEntry({
      id: `${community.id}-signatures-per-day`,
      title: `Petition signatures per day: ${community.name}`,
      description:
        'For every public petition, the signatures counted on each UTC day on which its count changed, and the running total ' +
        '(from the hourly counts of the per-petition export).',
      community: { id: community.id, name: community.name },
      path: '/v1/open-data/signatures-per-day',
      modified: lastModified(petitions),
      keywords: ['petitions', 'signatures', 'time series', 'підписи'],
      columns: signaturesPerDayColumns,
    }),
    datasetEntry({
      id: `${community.id}-budgets`,
      title: `Participatory budgets: ${community.name}`,
      description:
        'Every project of every participatory budget (city and schools) whose results are public (published by the council, ' +
        'or imported): cost, category, votes, whether it was selected, and its implementation status and progress.',
      community: { id: community.id, name: community.name },
      path: '/v1/open-data/budgets',
      modified: budgetsModified(budgetsWithProjects),
      keywords: ['participatory budgeting', 'budgets', 'громадський бюджет'],
      columns: budgetColumns,
    }),
    ...budgets.map((budget) => pabulibEntry(budget, { id: community.id, name: community.name })),
  ];
  return { status: 200, body: { community: community.id, datasets }, cacheSeconds: 60 };
});
