import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { table as tableDefinition } from '#shared/data/table.ts';
import type { CommunityConfig } from '#shared/domain/community.ts';
import type { BundledFunction } from '../bundle.ts';
import type { Config } from '../config.ts';
import { Communities } from '../constructs/communities.ts';

export interface DataStackProps extends StackProps {
  readonly config: Config;
  /** Written to the table at deploy by Custom::Communities (absent: no community resource). */
  readonly communities?: { readonly configs: readonly CommunityConfig[]; readonly bundle: BundledFunction };
}

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/**
 * The one DynamoDB table, built from shared/data/table.ts (the local runtime builds DynamoDB Local's
 * table from the same object). It holds personal data (signers' names, birthdates, who voted), so:
 * on-demand, point-in-time recovery (35 days), deletion protection, RETAIN on stack deletion, and a
 * customer-managed KMS key.
 *
 * Why a customer-managed key rather than the (free) AWS-owned one: every use of the key is in
 * CloudTrail (who read the table's data, when), the key policy is the city's to audit and tighten,
 * and disabling the key is an emergency brake on all data at rest, backups included. It costs about
 * 1 USD a month plus requests (DynamoDB caches the table key, so few), and every function's grant
 * has to name the key (infra/constructs/table-access.ts does).
 */
export class DataStack extends Stack {
  readonly table: dynamodb.TableV2;
  readonly tableKey: kms.Key;
  /** The key ring (shared/secrets/key-ring.ts): keys the voter markers and person keys, signs cursors. */
  readonly keyRing: secretsmanager.Secret;
  readonly communities?: Communities;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { stage } = props.config;

    this.tableKey = new kms.Key(this, 'TableKey', {
      description: `hromada-${stage}: encryption at rest of the DynamoDB table, its stream and backups`,
      alias: `alias/hromada-${stage}-table`,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: `hromada-${stage}`,
      partitionKey: stringKey(tableDefinition.partitionKey),
      sortKey: stringKey(tableDefinition.sortKey),
      globalSecondaryIndexes: tableDefinition.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      })),
      billing: dynamodb.Billing.onDemand(),
      dynamoStream: dynamodb.StreamViewType[tableDefinition.stream],
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.tableKey),
    });

    // Generated once at the first deploy: {"current":"k1","k1":"<64 random characters>"}. Kept when
    // the stack goes: without it no voter marker of a running process can be checked again.
    this.keyRing = new secretsmanager.Secret(this, 'KeyRing', {
      secretName: `hromada-${stage}/key-ring`,
      description: `hromada-${stage}: keys of voter markers, person keys and signed cursors (JSON key ring)`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ current: 'k1' }),
        generateStringKey: 'k1',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (props.communities) {
      this.communities = new Communities(this, 'Communities', {
        config: props.config,
        table: this.table,
        tableKey: this.tableKey,
        bundle: props.communities.bundle,
        communities: props.communities.configs,
      });
    }

    Validations.of(this.keyRing).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A key ring, rotated by adding a key and making it current (README: trust model); an automatic rotation that replaced the ' +
        'key would break the voter markers of processes still running.',
    });
  }
}
