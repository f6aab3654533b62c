import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { schedules, scheduleSettings, type ScheduleDefinition, type ScheduleName, type ScheduleSettings } from '#shared/schedules.ts';
import { lambdaContext, loadEntry } from './functions.ts';

/**
 * The scheduled jobs of shared/schedules.ts, run locally as EventBridge runs them in AWS: the same
 * handler, on the same interval (`scheduleSettings`, which the CDK stack reads too), with an event
 * shaped like EventBridge's and a Lambda context with the job's timeout and memory. A run never
 * starts while the last one of its job is going (reserved concurrency 1 in AWS). `run` starts one
 * now (tests, and `npm start` does not wait for the first interval either).
 */
export interface LocalSchedule extends ScheduleSettings {
  readonly name: ScheduleName;
  readonly handler: (event: ScheduledEvent, context?: Context) => Promise<unknown>;
}

/** The settings the CDK stack deploys, with the handler of each job's entry. */
export function defaultSchedules(): LocalSchedule[] {
  return (Object.entries(schedules) as [ScheduleName, ScheduleDefinition][]).map(([name, def]) => {
    const settings = scheduleSettings(def);
    return {
      name,
      ...settings,
      handler: async (event: ScheduledEvent, context?: Context) =>
        (await loadEntry<(e: ScheduledEvent, c?: Context) => Promise<unknown>>(settings.entry))(event, context),
    };
  });
}

export interface Scheduler {
  /** Runs a job now (or waits for the run in progress, then runs it); resolves with its result. */
  run(name: ScheduleName): Promise<unknown>;
  /** Stops the timers and waits for the runs in progress. */
  stop(): Promise<void>;
}

export function scheduledEvent(name: string, time: Date = new Date()): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: process.env.AWS_REGION ?? 'local',
    resources: [`arn:aws:events:local:000000000000:rule/${name}`],
    detail: {},
  };
}

export function startScheduler(options: { schedules: readonly LocalSchedule[]; log?: (line: string) => void; timers?: boolean }): Scheduler {
  const log = options.log ?? (() => undefined);
  const running = new Map<ScheduleName, Promise<unknown>>();
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  const run = async (job: LocalSchedule): Promise<unknown> => {
    // One at a time per job: a run waits for the one in progress.
    const before = running.get(job.name);
    const current = (async () => {
      await before?.catch(() => undefined);
      const context = lambdaContext(job.name, randomUUID(), { timeoutSeconds: job.timeoutSeconds, memoryMb: job.memoryMb });
      return job.handler(scheduledEvent(job.name), context);
    })();
    running.set(job.name, current);
    try {
      return await current;
    } finally {
      if (running.get(job.name) === current) running.delete(job.name);
    }
  };

  if (options.timers !== false) {
    for (const job of options.schedules) {
      const timer = setInterval(() => {
        if (stopped || running.has(job.name)) return; // the last run is still going: this one is skipped
        run(job).catch((error: unknown) => log(`schedule ${job.name} failed: ${(error as Error).message}`));
      }, job.everyMinutes * 60_000);
      timer.unref();
      timers.push(timer);
    }
  }

  return {
    run: (name) => {
      const job = options.schedules.find((candidate) => candidate.name === name);
      if (!job) return Promise.reject(new Error(`No scheduled job ${name}`));
      return run(job);
    },
    stop: async () => {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await Promise.all([...running.values()].map((p) => p.catch(() => undefined)));
    },
  };
}
