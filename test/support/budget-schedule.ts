import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { budgetKeys } from '#shared/data/budgets.ts';

/** A participatory budget's phases, in order: a budget's phase follows its schedule's dates. */
export const budgetPhases = ['submission', 'preSupport', 'review', 'voting', 'results', 'implementation'] as const;
export type BudgetPhase = (typeof budgetPhases)[number];

const DAY = 86_400_000;

/**
 * A schedule in which now is in `phase`, which started 5 minutes ago (so a closed vote has
 * settled); each other phase a day apart. Without `preSupport`, that phase is skipped (null).
 */
export function budgetScheduleAt(phase: BudgetPhase, options: { preSupport?: boolean } = {}) {
  const k = budgetPhases.indexOf(phase);
  const now = Date.now();
  const schedule: Record<string, string | null> = {};
  budgetPhases.forEach((key, i) => {
    schedule[key] = new Date(i <= k ? now + (i - k) * DAY - 5 * 60_000 : now + (i - k) * DAY).toISOString();
  });
  if (!options.preSupport) schedule.preSupport = null;
  return schedule;
}

/** Moves a budget into a phase by rewriting its dates in the table (the phase follows the dates). */
export async function setBudgetPhase(
  db: DynamoDBDocumentClient,
  tableName: string,
  id: string,
  phase: BudgetPhase,
  options: { preSupport?: boolean } = {},
): Promise<void> {
  await db.send(new UpdateCommand({
    TableName: tableName, Key: budgetKeys.budget(id),
    UpdateExpression: 'SET schedule = :s', ExpressionAttributeValues: { ':s': budgetScheduleAt(phase, options) },
  }));
}
