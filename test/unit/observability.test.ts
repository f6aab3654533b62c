import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/bundle.ts';
import { readObservabilitySettings, traced } from '#shared/observability.ts';

const run = promisify(execFile);

describe('observability settings', () => {
  it('defaults, and EMF metrics only in Lambda unless asked', () => {
    expect(readObservabilitySettings({})).toEqual({ logLevel: 'INFO', serviceName: 'hromada', tracing: false, metrics: false });
    expect(readObservabilitySettings({ AWS_LAMBDA_FUNCTION_NAME: 'hromada-sign', LOG_LEVEL: 'warn' })).toMatchObject({ logLevel: 'WARN', metrics: true });
    expect(readObservabilitySettings({ AWS_LAMBDA_FUNCTION_NAME: 'f', POWERTOOLS_METRICS_DISABLED: 'true' }).metrics).toBe(false);
    expect(readObservabilitySettings({ POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_TRACE_ENABLED: 'true' })).toMatchObject({ metrics: true, tracing: true });
  });

  it('fails at start on a wrong value, naming the variable', () => {
    expect(() => readObservabilitySettings({ LOG_LEVEL: 'LOUD' })).toThrow(/LOG_LEVEL/);
    expect(() => readObservabilitySettings({ POWERTOOLS_TRACE_ENABLED: 'yes' })).toThrow(/POWERTOOLS_TRACE_ENABLED/);
  });

  it('leaves an SDK client as it is when tracing is off', () => {
    const client = { send: () => undefined };
    expect(traced(client)).toBe(client);
  });
});

describe('metrics', () => {
  it('writes business counts and problems by type as CloudWatch EMF', async () => {
    const script = [
      "const o = await import('./shared/observability.ts');",
      "o.count('SignaturesCounted', 3); o.count('BallotsCast', 0);",
      "o.countProblem('validation', 400);",
      'o.flushMetrics();',
    ].join(' ');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot, env: { PATH: process.env.PATH ?? '', POWERTOOLS_METRICS_DISABLED: 'false', LOG_LEVEL: 'WARN' },
    });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[]; Dimensions: string[][] }[] } });
    const problem = lines.find((line) => 'Problems' in line)!;
    expect(problem).toMatchObject({ Problems: 1, problemType: 'validation', statusClass: '4xx', service: 'hromada' });
    expect(problem._aws.CloudWatchMetrics[0]!.Namespace).toBe('hromada');
    const counts = lines.find((line) => 'SignaturesCounted' in line)!;
    expect(counts.SignaturesCounted).toBe(3);
    expect(counts).not.toHaveProperty('BallotsCast');
    expect(counts._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name)).toEqual(['SignaturesCounted']);
  });
});
