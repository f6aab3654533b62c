import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../local/table-setup.ts';

/** The commands as an operator types them: `npm run ops -- …` is `node --import tsx scripts/ops.ts …`. */
const root = resolve(import.meta.dirname, '..', '..');
const ops = (args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/ops.ts', ...args], { cwd: root, timeout: 60_000 }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout + error.stderr }),
  );

describe('npm run ops', () => {
  it('lists the recovery commands and runs them against DynamoDB Local', async () => {
    const listed = await ops(['--help']);
    expect(listed.stdout).toMatch(/recount\s+Recompute/);
    expect(listed.stdout).toMatch(/replay-dlq\s+Re-drive/);

    const endpoint = inject('dynamoEndpoint');
    const table = `test-${randomUUID().slice(0, 8)}`;
    const client = new DynamoDBClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, table);
    client.destroy();
    const target = ['--endpoint', endpoint, '--table', table];

    const recount = await ops(['recount', '--all-open', ...target, '--settle-ms', '0']);
    expect(recount).toMatchObject({ code: 0 });
    expect(recount.stdout).toContain(`table ${table}: 0 petition(s)`);
    const missing = await ops(['recount', '--petition', 'no-such-petition', ...target, '--settle-ms', '0']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('no-such-petition: no such petition');

    const replay = await ops(['replay-dlq', ...target, '--data-dir', mkdtempSync(join(tmpdir(), 'hromada-ops-'))]);
    expect(replay).toMatchObject({ code: 0 });
    expect(replay.stdout).toContain('0 message(s)');
    expect((await ops(['replay-dlq', '--consumer', 'nobody', ...target])).code).toBe(2);
  });
});
