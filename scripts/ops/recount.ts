import * as z from 'zod';
import { openPetitionIds, recountPetitions, type RecountResult } from '#shared/data/recount.ts';
import { communityIds } from './_communities.ts';
import { startCommand, targetUsage } from './_target.ts';

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
  let petitions: string[] | undefined;
  let community: string | undefined;
  let settleMs: number | undefined;
  let allOpen = false;
  const started = startCommand(
    args,
    { petition: { type: 'string', multiple: true }, 'all-open': { type: 'boolean' }, community: { type: 'string' }, 'settle-ms': { type: 'string' } },
    usage,
    (values) => {
      const petitionIds = z.array(idSchema).optional().safeParse(values.petition);
      const communityId = z.string().regex(/^[a-z0-9-]{1,64}$/).optional().safeParse(values.community);
      const settle = z.coerce.number().int().min(0).max(60_000).optional().safeParse(values['settle-ms']);
      allOpen = values['all-open'] === true;
      if (!petitionIds.success) return `--petition: ${petitionIds.error.issues[0]?.message}`;
      if (!communityId.success) return '--community: a community id';
      if (!settle.success) return '--settle-ms: a whole number of milliseconds (0-60000)';
      [petitions, community, settleMs] = [petitionIds.data, communityId.data, settle.data];
      if (allOpen === (petitions !== undefined)) return 'Give --petition ID (repeatable) or --all-open.';
      if (community !== undefined && !allOpen) return '--community goes with --all-open.';
      return undefined;
    },
  );
  if (typeof started === 'number') return started;
  const { target } = started;
  try {
    const ids = allOpen ? await openPetitionIds(target.db, community ? [community] : await communityIds(target.db)) : petitions!;
    console.log(`recount on ${target.kind === 'aws' ? `stage ${target.stage}` : 'DynamoDB Local'}, table ${target.table}: ${ids.length} petition(s)`);
    const results = await recountPetitions(target.db, await target.reader(), ids, settleMs !== undefined ? { settleMs } : {});
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
