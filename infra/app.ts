import { join } from 'node:path';
import { buildWeb } from '../web/build.ts';
import { bundleFunctions, repoRoot } from './bundle.ts';
import { loadConfig, type Config } from './config.ts';
import { addSecurityChecks, buildStacks, newApp } from './hromada-app.ts';

// `npm run synth -- -c stage=prod`: infra/stages/prod.json (+ -c overrides) -> config, one esbuild
// call for every Lambda (cdk.out/bundles/<name>/index.mjs), the web app (cdk.out/web: the files to
// upload, whose inline script's hash the CSP names), the stacks, then cdk-nag as a validation plugin.
const app = newApp();
let config: Config;
try {
  config = loadConfig(app.node);
} catch (error) {
  // A configuration mistake is the operator's to fix: the message, not a stack trace.
  console.error((error as Error).message);
  process.exit(1);
}
const { functions } = await bundleFunctions();
const web = await buildWeb({ outDir: join(repoRoot, 'cdk.out', 'web'), auth: 'cognito' });
buildStacks(app, { functions, web }, config);
addSecurityChecks(app);
