import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PROBLEM_TYPE_BASE } from '#shared/http/problem.ts';

export interface ApiWebAclProps {
  readonly name: string;
  /** Requests per IP per 5 minutes for POST/PUT/PATCH/DELETE. */
  readonly writeLimit: number;
  /** Requests per IP per 5 minutes, any method. */
  readonly limit: number;
  /** ARN of the API Gateway stage to protect. */
  readonly stageArn: string;
}

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const methodIs = (method: string): wafv2.CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { method: {} },
    positionalConstraint: 'EXACTLY',
    searchString: method,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

const managedRuleGroup = (
  priority: number,
  name: string,
  ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[],
): wafv2.CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ...(ruleActionOverrides ? { ruleActionOverrides } : {}) } },
  visibilityConfig: visibility(name),
});

const rateLimited = { customResponseBodyKey: 'rate-limited', responseCode: 429, responseHeaders: [{ name: 'retry-after', value: '300' }] };

/**
 * WAF in front of the REST API stage. Per-IP rate limits (5-minute window): a tight one for writes
 * (signatures, votes, submissions) and a loose one for everything; a school's or a mobile carrier's
 * shared IP (CGNAT) must stay well inside both, so they are context settings. Then the AWS managed
 * common rule set (OWASP-style), known bad inputs, and the Amazon IP reputation list (bots).
 *
 * The common rule set's 8 KB body limit is set to count only: handlers enforce each route's own
 * limit (64 KiB default, larger for `.pb` uploads) with a 413 problem.
 */
export class ApiWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiWebAclProps) {
    super(scope, id);
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      description: 'Rate limits and AWS managed rules for the hromada API',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      customResponseBodies: {
        'rate-limited': {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            type: `${PROBLEM_TYPE_BASE}rate-limited`,
            title: 'Too Many Requests',
            status: 429,
            detail: 'Too many requests from this network; try again in a few minutes.',
          }),
        },
      },
      rules: [
        {
          name: 'RateLimitWritesPerIp',
          priority: 0,
          action: { block: { customResponse: rateLimited } },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
              limit: props.writeLimit,
              scopeDownStatement: { orStatement: { statements: ['POST', 'PUT', 'PATCH', 'DELETE'].map(methodIs) } },
            },
          },
          visibilityConfig: visibility('RateLimitWritesPerIp'),
        },
        {
          name: 'RateLimitPerIp',
          priority: 1,
          action: { block: { customResponse: rateLimited } },
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', evaluationWindowSec: 300, limit: props.limit } },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        managedRuleGroup(2, 'AWSManagedRulesAmazonIpReputationList'),
        managedRuleGroup(3, 'AWSManagedRulesCommonRuleSet', [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }]),
        managedRuleGroup(4, 'AWSManagedRulesKnownBadInputsRuleSet'),
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: props.stageArn, webAclArn: this.webAcl.attrArn });
  }
}
