import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openPetitionIds, recountPetitions, type RecountResult } from '../../shared/data/recount.ts';
import { communityIds } from './_communities.ts';
import { connect, targetOptions, targetUsage, UsageError } from './_target.ts';

export const summary = 'Recompute petition signature counts and threshold stamps from the stored signatures';

const usage = `Usage: npm run ops -- recount (--petition ID ... | --all-open [--community ID]) <target> [--settle-ms N]

Sets each petition's signature count to the number of its signature items and its threshold
stamps from its alert items; a threshold reached and never recorded gets its alert (sent once by
the alert notifier); no alert is ever made twice. Safe while the system runs: signatures still on
their way to the counter are neither lost nor counted twice (see shared/data/recount.ts).
Idempotent: a second run reports "unchanged". Prints before -> after for each petition.

  --petition ID      a petition (repeatable)
  --all-open         every petition stored as open (of --community, or of every community)
  --settle-ms N      pause letting the index and stream catch up before counting (default 1000)

${targetUsage}`;

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a petition id');

export async function run(args: string[]): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        ...targetOptions,
        petition: { type: 'string', multiple: true },
        'all-open': { type: 'boolean' },
        community: { type: 'string' },
        'settle-ms': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const petitions = z.array(idSchema).optional().safeParse(values.petition);
  const community = z.string().regex(/^[a-z0-9-]{1,64}$/).optional().safeParse(values.community);
  const settle = z.coerce.number().int().min(0).max(60_000).optional().safeParse(values['settle-ms']);
  const allOpen = values['all-open'] === true;
  const problem =
    !petitions.success ? `--petition: ${petitions.error.issues[0]?.message}` :
    !community.success ? '--community: a community id' :
    !settle.success ? '--settle-ms: a whole number of milliseconds (0-60000)' :
    allOpen === (petitions.data !== undefined) ? 'Give --petition ID (repeatable) or --all-open.' :
    community.data !== undefined && !allOpen ? '--community goes with --all-open.' : undefined;
  if (problem) {
    console.error(`${problem}\n\n${usage}`);
    return 2;
  }

  let target;
  try {
    target = connect(values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    return 2;
  }
  try {
    const ids = allOpen ? await openPetitionIds(target.db, community.data ? [community.data] : await communityIds(target.db)) : petitions.data!;
    console.log(`recount on ${target.kind === 'aws' ? `stage ${target.stage}` : 'DynamoDB Local'}, table ${target.table}: ${ids.length} petition(s)`);
    const results = await recountPetitions(target.db, await target.reader(), ids, settle.data !== undefined ? { settleMs: settle.data } : {});
    for (const result of results) console.log(describe(result));
    const failed = results.filter((r) => r.outcome === 'not-found' || r.outcome === 'busy').length;
    console.log(`${results.length - failed} done, ${failed} not done`);
    return failed > 0 ? 1 : 0;
  } finally {
    target.close();
  }
}

export function describe(r: RecountResult): string {
  if (r.outcome === 'not-found') return `  ${r.petitionId}: no such petition`;
  if (r.outcome === 'busy') return `  ${r.petitionId}: signatures kept arriving while counting; run again`;
  const lines = [
    `  ${r.petitionId}: ${r.outcome}; count ${JSON.stringify(r.before?.signatureCount ?? null)} -> ${r.after?.signatureCount}; ` +
      `thresholds reached [${r.before?.reached.join(', ')}] -> [${r.after?.reached.join(', ')}]`,
  ];
  if (r.newAlerts.length) lines.push(`    new alerts (first time recorded): ${r.newAlerts.join(', ')}`);
  if (r.restored.length) lines.push(`    stamps restored from their alert items: ${r.restored.join(', ')}`);
  if (r.stampedWithoutAlert.length) lines.push(`    WARNING stamped without an alert item (left alone, no alert made): ${r.stampedWithoutAlert.join(', ')}`);
  if (r.checkpointsMoved) lines.push(`    counter checkpoints moved to the recount's watermark: ${r.checkpointsMoved}`);
  if (r.checkpointsRepaired) lines.push(`    of them, corrupted (past the end of their shard) and repaired: ${r.checkpointsRepaired}`);
  return lines.join('\n');
}
