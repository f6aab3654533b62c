import { describe, expect, it } from 'vitest';
import { readStageFile, stageNames } from '../../infra/config.ts';
import { ofType, synthTestApp } from './support.ts';

/**
 * Every checked-in stage (infra/stages/*.json) synthesizes, with stub bundles: a stage file that
 * validates but breaks a stack fails here, not at the city's first deploy. Deleting protections
 * follow the file's `production`, never the stage's name.
 */
describe.each(stageNames())('stage %s', (stage) => {
  it('synthesizes, with protections that follow `production`', async () => {
    const file = readStageFile(stage);
    const t = await synthTestApp({ context: { stage }, stageFile: file });
    try {
      const production = file.production === true;
      for (const stack of [t.stacks.data, t.stacks.auth, t.stacks.alerts, t.stacks.api]) {
        expect(stack.terminationProtection, stack.stackName).toBe(production);
        expect(stack.region).toBe(file.region);
        expect(stack.account).toBe(file.account);
        expect(stack.stackName).toMatch(new RegExp(`^hromada-${stage}-`));
      }
      const logGroups = ofType([t.templates.alerts, ...t.templates.apiAll], 'AWS::Logs::LogGroup');
      expect(logGroups.length).toBeGreaterThan(10);
      for (const [id, group] of logGroups) expect(group.DeletionPolicy, id).toBe(production ? 'Retain' : 'Delete');
      // Data is kept on every stage.
      t.templates.data.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    } finally {
      t.cleanup();
    }
  });
});
