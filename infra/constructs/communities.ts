import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { CommunityConfig } from '#shared/domain/community.ts';
import type { BundledFunction } from '../bundle.ts';
import type { Config } from '../config.ts';
import { HromadaFunction } from './hromada-function.ts';

export interface CommunitiesProps {
  readonly config: Config;
  readonly table: dynamodb.TableV2;
  readonly tableKey: kms.IKey;
  /** The bundle of functions/custom-resources/communities.ts. */
  readonly bundle: BundledFunction;
  /** Validated configurations (infra/communities/*.json, the stage's selection). */
  readonly communities: readonly CommunityConfig[];
}

/**
 * `Custom::Communities`: at every deploy whose community files changed, a small Lambda writes them to
 * the table (idempotent; a community whose file was removed is marked inactive, its data kept;
 * nothing is deleted when the stack goes). The configurations travel as one JSON property, so a
 * change of any rule is a change of the property and CloudFormation sends an Update.
 */
export class Communities extends Construct {
  readonly function: HromadaFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: CommunitiesProps) {
    super(scope, id);
    const { table, tableKey } = props;
    this.function = new HromadaFunction(this, 'Lambda', {
      codeDir: props.bundle.dir,
      description: 'Custom::Communities: writes the checked-in community configurations to the table at deploy',
      config: props.config,
      timeout: Duration.minutes(2),
      memorySize: 512,
      // DEFAULT_COMMUNITY: read by the shared community module the handler bundles (same value as every function).
      environment: { TABLE_NAME: table.tableName, DEFAULT_COMMUNITY: props.config.defaultCommunity },
    });
    // Exactly what applyCommunities does: Get, Put (conditional), Update; on the table only.
    this.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'WriteCommunities', actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [table.tableArn] }),
    );
    this.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseTableKey',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [tableKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.function.functionArn,
      resourceType: 'Custom::Communities',
      // CloudFormation waits at most this long for the answer (default: an hour).
      serviceTimeout: Duration.minutes(5),
      properties: { Communities: JSON.stringify(props.communities) },
    });
    // The function's policy must exist before CloudFormation invokes it.
    this.resource.node.addDependency(this.function.role);
  }
}
