import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthTestApp, type TestApp } from './support.ts';

/**
 * cdk-nag 3 is a policy-validation plugin, not an Aspect: findings are not CDK annotations any more
 * (Annotations.fromStack(...).findError('*', /AwsSolutions-.../) would always be empty, whatever the
 * findings). The app
 * registers the pack with Validations.of(app).addPlugins(...), so an unacknowledged finding makes
 * `app.synth()` throw; here we also ask the pack for its findings directly (validateScope), which
 * skips acknowledged ones the same way, and assert there are none: no errors and no warnings.
 */
let t: TestApp;
let synthError: unknown;
beforeAll(async () => {
  try {
    t = await synthTestApp({ securityChecks: true, cloudFormationValidation: true });
  } catch (error) {
    synthError = error;
  }
});
afterAll(() => t?.cleanup());

describe('cdk-nag AwsSolutions', () => {
  it('lets the app synthesize with the AwsSolutions pack and CloudFormation validation, as `cdk synth` does', () => {
    expect(synthError === undefined ? '' : String(synthError)).toBe('');
  });

  it('finds no unacknowledged errors and no unacknowledged warnings', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(t.app);
    const describe = (severity: string) =>
      report.violations
        .filter((violation) => violation.severity === severity)
        .map((violation) => `${violation.ruleName} at ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}: ${violation.description}`);
    expect(describe('error')).toEqual([]);
    expect(describe('warning')).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('leaves no CDK warnings or errors on any stack', () => {
    // The synthesized assembly's messages: what Annotations.fromStack() reads, without re-synthesizing.
    const assembly = t.app.synth();
    for (const stack of t.app.node.children.filter((child): child is Stack => child instanceof Stack)) {
      const messages = assembly.getStackArtifact(stack.artifactId).messages;
      const problems = messages
        .filter((message) => message.level === 'error' || message.level === 'warning')
        .map((message) => `${message.level} at ${message.id}: ${JSON.stringify(message.entry.data)}`);
      expect(problems, stack.stackName).toEqual([]);
    }
  });

  it('gives every acknowledgement a reason a reviewer can check', () => {
    const acknowledgements: { path: string; id: string; reason: string }[] = [];
    for (const construct of t.app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) acknowledgements.push({ path: construct.node.path, id, reason });
      }
    }
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledgements) {
      expect(id, path).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(reason.length, `${id} at ${path}`).toBeGreaterThanOrEqual(80);
    }
    // Blanket stack-level acknowledgements are not used: each sits on the construct it concerns.
    for (const { path } of acknowledgements) expect(path.split('/').length, path).toBeGreaterThan(1);
  });
});
