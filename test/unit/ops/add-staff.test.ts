import { spawnSync } from 'node:child_process';
import { AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminUpdateUserAttributesCommand, ListUserPoolsCommand, UsernameExistsException } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../infra/bundle.ts';
import { addStaff, findUserPool, parseAddStaffArgs, staffRequests, staffUsername } from '../../../scripts/ops/add-staff.ts';

/**
 * `npm run ops -- add-staff`: argument validation and the exact Cognito requests it sends (the AWS
 * boundary is tested by building the SDK command objects and by a recording `send`).
 */
const base = ['--email', 'Olena.Koval@Rada.Ternopil.example', '--role', 'council', '--community', 'ternopil', '--stage', 'prod'];

describe('add-staff arguments', () => {
  it('accepts a council member and a school admin with their school', () => {
    expect(parseAddStaffArgs(base)).toMatchObject({ email: 'olena.koval@rada.ternopil.example', role: 'council', community: 'ternopil', stage: 'prod' });
    expect(parseAddStaffArgs([...base.slice(0, 2), '--role', 'school-admin', ...base.slice(4), '--school', 'school-17'])).toMatchObject({ role: 'school-admin', school: 'school-17' });
  });

  it('refuses each bad option by name', () => {
    expect(() => parseAddStaffArgs(['--role', 'council', '--community', 'ternopil', '--stage', 'prod'])).toThrow(/--email: must be an e-mail address/);
    expect(() => parseAddStaffArgs([...base.slice(0, 2), '--role', 'citizen', ...base.slice(4)])).toThrow(/--role: .*citizens sign in through the identity provider/);
    expect(() => parseAddStaffArgs([...base.slice(0, 2), '--role', 'school-admin', ...base.slice(4)])).toThrow(/--school: school-admin needs --school/);
    expect(() => parseAddStaffArgs([...base, '--school', 'school-17'])).toThrow(/--school: only a school-admin has a --school/);
    expect(() => parseAddStaffArgs([...base.slice(0, 4), '--community', 'Ternopil!', ...base.slice(6)])).toThrow(/--community/);
    expect(() => parseAddStaffArgs(base.slice(0, 6))).toThrow(/--stage/);
    expect(() => parseAddStaffArgs([...base, '--admin'])).toThrow(/Unknown option '--admin'/);
  });
});

describe('add-staff requests', () => {
  const args = parseAddStaffArgs([...base.slice(0, 2), '--role', 'school-admin', ...base.slice(4), '--school', 'school-17', '--name', 'Олена Коваль']);
  const pool = 'eu-central-1_AbC123';

  it('builds AdminCreateUser (attributes, e-mailed temporary password), AdminUpdateUserAttributes and AdminAddUserToGroup', () => {
    const username = staffUsername('olena.koval@rada.ternopil.example');
    expect(username).toMatch(/^olena\.koval-[0-9a-f]{8}$/);
    expect(username).not.toContain('@'); // the pool refuses e-mail-shaped usernames (e-mail is an alias)
    const requests = staffRequests(args, pool);
    const attributes = [
      { Name: 'email', Value: 'olena.koval@rada.ternopil.example' },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'custom:community', Value: 'ternopil' },
      { Name: 'custom:school', Value: 'school-17' },
      { Name: 'name', Value: 'Олена Коваль' },
    ];
    expect(requests.create).toBeInstanceOf(AdminCreateUserCommand);
    expect(requests.create.input).toEqual({ UserPoolId: pool, Username: username, UserAttributes: attributes, DesiredDeliveryMediums: ['EMAIL'] });
    expect(requests.update).toBeInstanceOf(AdminUpdateUserAttributesCommand);
    expect(requests.update.input).toEqual({ UserPoolId: pool, Username: username, UserAttributes: attributes });
    expect(requests.addToGroup).toBeInstanceOf(AdminAddUserToGroupCommand);
    expect(requests.addToGroup.input).toEqual({ UserPoolId: pool, Username: username, GroupName: 'school-admin' });
  });

  it('creates then adds to the group; a re-run updates the existing account instead (idempotent)', async () => {
    const sent: string[] = [];
    const existing = new Set<string>();
    const send = (async (command: { constructor: { name: string }; input: { Username?: string } }) => {
      sent.push(command.constructor.name);
      if (command instanceof AdminCreateUserCommand) {
        if (existing.has(command.input.Username!)) throw new UsernameExistsException({ message: 'User account already exists', $metadata: {} });
        existing.add(command.input.Username!);
      }
      return {};
    }) as never;
    expect(await addStaff(send, args, pool)).toBe('created');
    expect(sent).toEqual(['AdminCreateUserCommand', 'AdminAddUserToGroupCommand']);
    sent.length = 0;
    expect(await addStaff(send, args, pool)).toBe('updated');
    expect(sent).toEqual(['AdminCreateUserCommand', 'AdminUpdateUserAttributesCommand', 'AdminAddUserToGroupCommand']);
  });

  it('finds the stage\'s pool (hromada-<stage>) across pages, and says so when there is none', async () => {
    const pages = [
      { UserPools: [{ Id: 'eu-central-1_Other', Name: 'hromada-dev' }], NextToken: 'p2' },
      { UserPools: [{ Id: pool, Name: 'hromada-prod' }] },
    ];
    const requests: unknown[] = [];
    const send = (async (command: ListUserPoolsCommand) => {
      requests.push(command.input);
      return command.input.NextToken ? pages[1] : pages[0];
    }) as never;
    expect(await findUserPool(send, 'prod')).toBe(pool);
    expect(requests).toEqual([{ MaxResults: 60 }, { MaxResults: 60, NextToken: 'p2' }]);
    await expect(findUserPool((async () => ({ UserPools: [] })) as never, 'prod')).rejects.toThrow(/No user pool named hromada-prod/);
  });
});

describe('npm run ops -- add-staff (the command of the deploy guide)', () => {
  const ops = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ops.ts', 'add-staff', ...args], { cwd: repoRoot, encoding: 'utf8' });

  it('--dry-run prints the requests for the stage, without AWS', () => {
    const run = ops(...base, '--user-pool-id', 'eu-central-1_AbC123', '--dry-run');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('AdminCreateUserCommand {"UserPoolId":"eu-central-1_AbC123"');
    expect(run.stdout).toContain('AdminAddUserToGroupCommand {"UserPoolId":"eu-central-1_AbC123","Username":"olena.koval-');
  });

  it('stops with exit code 2 and the reason for a stage without a file or a community the stage does not serve', () => {
    const noStage = ops(...base.slice(0, 6), '--stage', 'nope', '--dry-run');
    expect(noStage.status).toBe(2);
    expect(noStage.stderr).toMatch(/No configuration for stage "nope"/);
    const otherCommunity = ops(...base.slice(0, 4), '--community', 'uk-style-demo', '--stage', 'prod', '--dry-run');
    expect(otherCommunity.status).toBe(2);
    expect(otherCommunity.stderr).toMatch(/--community: stage prod serves ternopil, not uk-style-demo/);
  });
});
