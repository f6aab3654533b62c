import { NestedStack, type NestedStackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { RouteDefinition } from '#shared/http/route.ts';
import type { RouteName } from '#shared/http/routes.ts';
import type { BundledFunction } from '../bundle.ts';
import type { Config } from '../config.ts';
import { functionAlarms } from '../constructs/alarms.ts';
import { HromadaFunction } from '../constructs/hromada-function.ts';
import { grantTableAccess } from '../constructs/table-access.ts';

/** The area of a route: the first folder of its handler (`petitions/sign` -> `petitions`). */
export const areaOf = (route: RouteDefinition): string => route.handler.split('/')[0] ?? 'root';

export interface RouteFunctionsProps extends NestedStackProps {
  readonly area: string;
  readonly routes: readonly (readonly [RouteName, RouteDefinition])[];
  readonly config: Config;
  readonly table: dynamodb.ITableV2;
  readonly keyRing: secretsmanager.ISecret;
  readonly opsTopic: sns.ITopic;
  readonly bundles: Readonly<Record<string, BundledFunction>>;
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * The Lambda functions of one area of the route table (functions/http/<area>/), each with its role,
 * log group and alarms, in a nested stack of the API stack. A function takes about six
 * CloudFormation resources; nested per area, the route table can grow well past what one stack's
 * 500-resource limit allows, while the REST API, its methods and permissions stay in the parent.
 */
export class RouteFunctions extends NestedStack {
  readonly functions: Readonly<Partial<Record<RouteName, lambda.Function>>>;

  constructor(scope: Construct, id: string, props: RouteFunctionsProps) {
    super(scope, id, { ...props, description: `hromada-${props.config.stage}: Lambda functions of the ${props.area} routes` });
    const { config } = props;
    const functions: Partial<Record<RouteName, lambda.Function>> = {};
    for (const [name, route] of props.routes) {
      const bundle = props.bundles[name];
      if (!bundle) throw new Error(`No bundle for the Lambda function of route ${name}`);
      const fn = new HromadaFunction(this, name, {
        codeDir: bundle.dir,
        description: `${route.method} ${route.path}: ${route.summary}`,
        config,
        keyRing: props.keyRing,
        environment: props.environment,
      });
      grantTableAccess(fn.role, props.table, route.table);
      functionAlarms(new Construct(fn, 'Alarms'), `hromada-${config.stage}-${name}`, fn.function, props.opsTopic);
      functions[name] = fn.function;
    }
    this.functions = functions;
  }
}
