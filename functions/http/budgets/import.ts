import { importBudget } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { getCommunity } from '#shared/data/communities.ts';
import { parsePabulib, PabulibFormatError, type PbElection } from '#shared/domain/budget/pabulib.ts';
import { fileSha256, importedBudget, uuidFromName } from '#shared/domain/budget-process/open-data.ts';
import { budgetView } from '#shared/domain/budget-process/process.ts';
import { httpHandler, type HttpResult } from '#shared/http/handler.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';

/**
 * Time this request spends writing before it answers 202 and lets the client send the file again:
 * well inside the functions' default 10 s timeout, after parsing and the recount (about a second
 * for 10,000 ballots).
 */
const WRITE_BUDGET_MS = 6_000;

/**
 * A past election from a Pabulib file becomes a finished budget of the council's community. The
 * budget's id is derived from the community and the file, so sending the same file again continues
 * an import that ran out of time (202), or finds it done (200).
 */
export const handler = httpHandler('importBudget', async ({ body, principal }): Promise<HttpResult> => {
  const started = Date.now();
  const db = documentClient();
  const community = await getCommunity(db, principal.community);
  const now = new Date();
  let election: PbElection;
  try {
    election = parsePabulib(body);
  } catch (error) {
    if (error instanceof PabulibFormatError) throw problems.unprocessable('pabulib-format', `Not a valid .pb file: ${error.message}.`, { line: error.line });
    throw error;
  }
  const sha = fileSha256(body);
  const id = uuidFromName(`${community.id}\u0000${sha}`);
  const decision = importedBudget(election, { id, community: community.id, createdBy: principal.sub, fileSha256: sha, now });
  if (!decision.ok) throw problemFromRefusal(decision);
  const { process, projects, ballots, recount } = decision.value;
  const outcome = await importBudget(db, {
    process, projects, ballots,
    deadline: started + WRITE_BUDGET_MS,
    audit: {
      community: community.id, action: 'budget.imported', actor: principal, target: { type: 'budget', id }, at: now,
      detail: { fileSha256: sha, unit: election.meta.unit, instance: election.meta.instance, projects: projects.length, ballots: ballots.length },
    },
  });
  const summary = { budget: budgetView(outcome.process, now), projects: projects.length, ballots: ballots.length, recount };
  if (outcome.state === 'in-progress') {
    return {
      status: 202,
      body: { ...summary, progress: { written: outcome.written, total: outcome.total } },
      headers: { location: `/v1/budgets/${id}`, 'retry-after': '1' },
    };
  }
  return { status: outcome.state === 'created' ? 201 : 200, body: summary, headers: { location: `/v1/budgets/${id}` } };
});
