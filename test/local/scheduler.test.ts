import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultSchedules, startScheduler, type LocalSchedule } from '../../local/scheduler.ts';
import { schedules, scheduleSettings } from '#shared/schedules.ts';

function job(handler: LocalSchedule['handler']): LocalSchedule {
  return { name: 'closePetitions', entry: 'functions/schedules/close-petitions.ts', everyMinutes: 5, expression: 'rate(5 minutes)', timeoutSeconds: 120, memoryMb: 512, reservedConcurrency: 1, handler };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('local scheduler', () => {
  it('runs the shared definitions: entry, interval, timeout and memory', () => {
    const [closing] = defaultSchedules();
    expect(closing).toMatchObject({ name: 'closePetitions', ...scheduleSettings(schedules.closePetitions) });
    expect(closing?.expression).toBe('rate(5 minutes)');
  });

  it('runs a job on its interval with an EventBridge-shaped event and a context, and stops the timer on stop', async () => {
    vi.useFakeTimers();
    const calls: { event: unknown; timeout: number }[] = [];
    const scheduler = startScheduler({ schedules: [job(async (event, context) => calls.push({ event, timeout: context!.getRemainingTimeInMillis() }))] });
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.event).toMatchObject({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
    expect(calls[0]!.timeout).toBeLessThanOrEqual(120_000);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(20 * 60_000);
    expect(calls).toHaveLength(1);
  });

  it('runs a job on request, one run at a time: a run waits for the one in progress', async () => {
    let active = 0;
    let most = 0;
    const scheduler = startScheduler({
      timers: false,
      schedules: [job(async () => {
        most = Math.max(most, ++active);
        await new Promise((resolve) => setTimeout(resolve, 20));
        active--;
        return 'done';
      })],
    });
    expect(await Promise.all([scheduler.run('closePetitions'), scheduler.run('closePetitions'), scheduler.run('closePetitions')])).toEqual(['done', 'done', 'done']);
    expect(most).toBe(1);
    await scheduler.stop();
  });
});
