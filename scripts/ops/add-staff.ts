import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
  UsernameExistsException,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import * as z from 'zod';
import { readStageFile } from '../../infra/config.ts';
import { loadCommunityFiles } from '#shared/data/communities.ts';
import { communityId } from '#shared/schemas/common.ts';

export const summary = 'Create (or update) a staff account: --email --role moderator|council|school-admin --community <id> [--school <id>] --stage <stage>';

const usage = `Usage: npm run ops -- add-staff --email <e-mail> --role moderator|council|school-admin --community <id>
                         [--school <school id>] [--name <full name>] --stage <stage>
                         [--user-pool-id <id>] [--endpoint <url>] [--dry-run]

Creates the account in the stage's Cognito user pool (hromada-<stage>, region from infra/stages/<stage>.json),
Cognito e-mails a temporary password; at the first sign-in the person sets a password and enrols TOTP (required).
Re-running updates the attributes and adds the group: it is safe to repeat. Citizens are never created here:
they sign in through the identity provider. --school is required for school-admin and refused otherwise.`;

const staffRoles = ['moderator', 'council', 'school-admin'] as const;

export const addStaffArgs = z
  .strictObject({
    email: z.email({ error: 'must be an e-mail address' }).transform((email) => email.toLowerCase()),
    role: z.enum(staffRoles, { error: `must be one of ${staffRoles.join(', ')} (citizens sign in through the identity provider)` }),
    community: communityId,
    school: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a school id: lower-case letters, digits, dashes').optional(),
    name: z.string().trim().min(1).max(200).optional(),
    stage: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'must be a stage name such as "prod"'),
    'user-pool-id': z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'must be a user pool id such as eu-central-1_AbC123').optional(),
    endpoint: z.url().optional(),
    'dry-run': z.boolean().optional(),
  })
  .refine((args) => args.role !== 'school-admin' || args.school !== undefined, { message: 'school-admin needs --school', path: ['school'] })
  .refine((args) => args.role === 'school-admin' || args.school === undefined, { message: 'only a school-admin has a --school', path: ['school'] });
export type AddStaffArgs = z.output<typeof addStaffArgs>;

/** Parses the command line; throws a message naming each bad option. */
export function parseAddStaffArgs(argv: string[]): AddStaffArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      community: { type: 'string' },
      school: { type: 'string' },
      name: { type: 'string' },
      stage: { type: 'string' },
      'user-pool-id': { type: 'string' },
      endpoint: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  const result = addStaffArgs.safeParse(values);
  if (!result.success) {
    throw new Error(result.error.issues.map((issue) => `--${issue.path.join('.') || '?'}: ${issue.message}`).join('\n'));
  }
  return result.data;
}

/**
 * The pool's username for a staff e-mail. The pool signs in by username or e-mail alias, and Cognito
 * refuses an e-mail-shaped username when e-mail is an alias, so: the e-mail's local part and a hash
 * of the whole address. Deterministic, so a re-run finds the same account.
 */
export function staffUsername(email: string): string {
  const local = email.split('@')[0]!.replace(/[^a-z0-9._-]/g, '').slice(0, 40) || 'staff';
  return `${local}-${createHash('sha256').update(email).digest('hex').slice(0, 8)}`;
}

export function staffAttributes(args: AddStaffArgs): AttributeType[] {
  return [
    { Name: 'email', Value: args.email },
    { Name: 'email_verified', Value: 'true' },
    { Name: 'custom:community', Value: args.community },
    ...(args.school ? [{ Name: 'custom:school', Value: args.school }] : []),
    ...(args.name ? [{ Name: 'name', Value: args.name }] : []),
  ];
}

/** The requests add-staff sends, in order: create (or, if the account exists, update), then the group. */
export function staffRequests(args: AddStaffArgs, userPoolId: string) {
  const Username = staffUsername(args.email);
  return {
    create: new AdminCreateUserCommand({ UserPoolId: userPoolId, Username, UserAttributes: staffAttributes(args), DesiredDeliveryMediums: ['EMAIL'] }),
    update: new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username, UserAttributes: staffAttributes(args) }),
    addToGroup: new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username, GroupName: args.role }),
  };
}

type Send = CognitoIdentityProviderClient['send'];

/** The pool named hromada-<stage> (infra/stacks/auth-stack.ts). */
export async function findUserPool(send: Send, stage: string): Promise<string> {
  const name = `hromada-${stage}`;
  let NextToken: string | undefined;
  do {
    const page = await send(new ListUserPoolsCommand({ MaxResults: 60, ...(NextToken ? { NextToken } : {}) }));
    const pool = page.UserPools?.find((candidate) => candidate.Name === name);
    if (pool?.Id) return pool.Id;
    NextToken = page.NextToken;
  } while (NextToken);
  throw new Error(`No user pool named ${name}: is the stage deployed in this account and region?`);
}

/** Creates or updates the account; returns what it did. */
export async function addStaff(send: Send, args: AddStaffArgs, userPoolId: string): Promise<'created' | 'updated'> {
  const requests = staffRequests(args, userPoolId);
  let outcome: 'created' | 'updated' = 'created';
  try {
    await send(requests.create);
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error;
    await send(requests.update);
    outcome = 'updated';
  }
  await send(requests.addToGroup);
  return outcome;
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(usage);
    return 0;
  }
  let args: AddStaffArgs;
  let region: string;
  try {
    args = parseAddStaffArgs(argv);
    const stage = readStageFile(args.stage);
    region = String(stage.region);
    const served = Array.isArray(stage.communities) ? (stage.communities as string[]) : undefined;
    if (served && !served.includes(args.community)) throw new Error(`--community: stage ${args.stage} serves ${served.join(', ')}, not ${args.community}`);
    loadCommunityFiles(undefined, [args.community]); // the community has a checked-in file
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const client = new CognitoIdentityProviderClient({ region, ...(args.endpoint ? { endpoint: args.endpoint } : {}) });
  try {
    const send: Send = client.send.bind(client) as Send;
    const userPoolId = args['user-pool-id'] ?? (args['dry-run'] ? '<hromada-' + args.stage + ' pool id>' : await findUserPool(send, args.stage));
    if (args['dry-run']) {
      const requests = staffRequests(args, userPoolId);
      for (const command of [requests.create, requests.addToGroup]) console.log(`${command.constructor.name} ${JSON.stringify(command.input)}`);
      return 0;
    }
    const outcome = await addStaff(send, args, userPoolId);
    console.log(`${outcome === 'created' ? 'Created' : 'Updated'} ${staffUsername(args.email)} (${args.email}) in ${userPoolId}: group ${args.role}, community ${args.community}${args.school ? `, school ${args.school}` : ''}.`);
    if (outcome === 'created') console.log('Cognito e-mailed a temporary password; at the first sign-in they set a password and enrol an authenticator app (TOTP).');
    return 0;
  } catch (error) {
    console.error(`add-staff failed: ${(error as Error).message}`);
    return 1;
  } finally {
    client.destroy();
  }
}
