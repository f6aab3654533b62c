import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalSystem } from './runtime.ts';
import { seedDemo } from './seed.ts';
import { LocalSetupError } from './dynamodb-local.ts';

/** `npm start`: the whole system on this machine, as it runs in AWS. */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
    'data-dir': { type: 'string', default: process.env.DATA_DIR ?? resolve(import.meta.dirname, '..', '.local', 'data') },
    'in-memory': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a port number, not "${values.port}".`);
  process.exit(2);
}

try {
  const system = await startLocalSystem({
    port,
    host: values.host,
    dataDir: values['data-dir'],
    inMemory: values['in-memory'],
    log: values.quiet ? undefined : (line) => console.log(`  · ${line}`),
    verbose: values.verbose,
    web: true,
    ...(values['in-memory'] ? {} : { mailDir: resolve(import.meta.dirname, '..', '.local', 'mail') }),
  });
  if (system.tableOutcome === 'created') await seedDemo();
  const where = values['in-memory'] ? 'in memory (gone when you stop)' : values['data-dir'];
  console.log(`
  Hromada is running locally.

    Web app         ${system.url}/   (sign in locally: ${system.url}/sign-in)
    API             ${system.url}
    Health          ${system.url}/health
    API reference   ${system.url}/docs   (OpenAPI: ${system.url}/openapi.json)
    DynamoDB Local  ${system.dynamoEndpoint}   table "${system.tableName}" (${system.tableOutcome})
    Data            ${where}
    Council alerts  ${values['in-memory'] ? 'printed below' : `${values['data-dir']}/council-alerts.jsonl`}   (events for integrations)
    E-mail          ${system.url}/dev/mail?to=rada@ternopil.example   (SMTP ${system.mail.url}${values['in-memory'] ? '' : ', .local/mail/*.eml'})

  Get a token:
    curl -s -X POST ${system.url}/dev/token -H 'content-type: application/json' \\
      -d '{"sub":"citizen-1","roles":["citizen"],"community":"ternopil","birthdate":"1990-05-01","name":"Olena K.","email":"olena@example.com"}'

  Ctrl-C stops everything (gateway, stream consumers, scheduled jobs, DynamoDB Local).
`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n  Stopping…');
    await system.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (error) {
  if (error instanceof LocalSetupError || (error instanceof Error && /Port \d+ is in use/.test(error.message))) {
    console.error(`\n  Cannot start: ${error.message}\n`);
  } else {
    console.error('\n  Cannot start:', error);
  }
  process.exit(1);
}
