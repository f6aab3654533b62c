import { bundleFunctions } from './bundle.ts';
import { loadConfig } from './config.ts';
import { addSecurityChecks, buildStacks, newApp } from './hromada-app.ts';

// `npx cdk synth -c stage=prod`: context -> config, one esbuild call for every Lambda
// (cdk.out/bundles/<name>/index.mjs), the stacks, then cdk-nag as a validation plugin.
const app = newApp();
const config = loadConfig(app.node);
const { functions } = await bundleFunctions();
buildStacks(app, functions, config);
addSecurityChecks(app);
