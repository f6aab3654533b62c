import type { ScheduledEvent } from 'aws-lambda';
import { recordPetitionClosings } from '#shared/app/petition-closings.ts';
import { currentDocumentClient } from '#shared/data/client.ts';
import { logger, observed } from '#shared/observability.ts';

/** Every few minutes (shared/schedules.ts): records each petition that closed since the last run, once. */
export const handler = observed('closePetitions', async (_event: ScheduledEvent) => {
  const run = await recordPetitionClosings(currentDocumentClient);
  logger.info('petition closings recorded', { communities: run.communities, recorded: run.recorded.length, alreadyRecorded: run.alreadyRecorded });
  return run;
});
