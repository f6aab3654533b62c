import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * `npm run ops -- <command> [options]`: operations of a deployment (staff accounts, recounts,
 * dead-letter replays). Each command is a module `scripts/ops/<command>.ts` exporting
 * `summary` (one line) and `run(args: string[]): Promise<number>` (the exit code).
 * Against AWS they use the CLI's credentials and `--stage`; against DynamoDB Local, `--endpoint`.
 */
export interface OpsCommand {
  readonly summary: string;
  run(args: string[]): Promise<number>;
}

const folder = resolve(import.meta.dirname, 'ops');
const commands = readdirSync(folder)
  .filter((file) => file.endsWith('.ts') && !file.startsWith('_'))
  .map((file) => file.slice(0, -3))
  .sort();

const load = async (name: string) => (await import(pathToFileURL(resolve(folder, `${name}.ts`)).href)) as OpsCommand;

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === 'help' || !commands.includes(name)) {
  if (name && !['--help', 'help'].includes(name)) console.error(`Unknown command "${name}".\n`);
  console.log('Usage: npm run ops -- <command> [options]   (each command: --help)\n');
  for (const command of commands) console.log(`  ${command.padEnd(14)} ${(await load(command)).summary}`);
  process.exit(name && !['--help', 'help'].includes(name) ? 2 : 0);
}
process.exitCode = await (await load(name)).run(args);
