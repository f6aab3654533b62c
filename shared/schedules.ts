/**
 * Jobs that run on the clock, defined once (as the stream consumers are in
 * shared/streams/consumers.ts). In AWS each entry is a Lambda function and an EventBridge rule
 * (`rate(N minutes)`) that invokes it; locally the runtime (local/scheduler.ts) calls the same
 * handler on the same interval. Both sides take their settings from `scheduleSettings()` below,
 * and test/infra/parity.test.ts proves that the rule and function the template deploys are what
 * the local runtime runs. Every job is idempotent: a run that repeats (a retried invocation, two
 * runs at once, a run after a crash) changes nothing more.
 */

export interface ScheduleDefinition {
  /** Entry under `functions/`, without extension. */
  readonly handler: string;
  readonly description: string;
  /** How often the job runs, in whole minutes (EventBridge `rate(N minutes)`). */
  readonly everyMinutes: number;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /**
   * Reserved concurrency: 1 keeps runs from overlapping (a run that is late is throttled, and
   * Lambda's asynchronous retries bring it back later). Locally a run never starts while the last
   * one is still going.
   */
  readonly reservedConcurrency: number;
  readonly table: 'read' | 'readwrite';
}

export const schedules = {
  closePetitions: {
    handler: 'schedules/close-petitions',
    description: 'Records, once, each petition whose signing period ended (its signers and followers hear of it from the stream)',
    everyMinutes: 5,
    timeoutSeconds: 120,
    memoryMb: 512,
    reservedConcurrency: 1,
    table: 'readwrite',
  },
} as const satisfies Record<string, ScheduleDefinition>;

export type ScheduleName = keyof typeof schedules;

/** What both the CDK stack and the local runtime make of a schedule definition. */
export interface ScheduleSettings {
  /** Entry file relative to the repository root (`functions/schedules/close-petitions.ts`). */
  readonly entry: string;
  readonly everyMinutes: number;
  /** The EventBridge schedule expression the rule carries. */
  readonly expression: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly reservedConcurrency: number;
}

export function scheduleSettings(definition: ScheduleDefinition): ScheduleSettings {
  const every = definition.everyMinutes;
  if (!(Number.isInteger(every) && every >= 1)) throw new Error(`${definition.handler}: everyMinutes must be a whole number of minutes, at least 1`);
  if (!(definition.timeoutSeconds >= 1 && definition.timeoutSeconds <= 900)) throw new Error(`${definition.handler}: timeoutSeconds must be from 1 to 900`);
  if (definition.timeoutSeconds >= every * 60) {
    throw new Error(`${definition.handler}: timeoutSeconds ${definition.timeoutSeconds} must be below the ${every * 60} s between runs`);
  }
  return {
    entry: `functions/${definition.handler}.ts`,
    everyMinutes: every,
    expression: every === 1 ? 'rate(1 minute)' : `rate(${every} minutes)`,
    timeoutSeconds: definition.timeoutSeconds,
    memoryMb: definition.memoryMb,
    reservedConcurrency: definition.reservedConcurrency,
  };
}
