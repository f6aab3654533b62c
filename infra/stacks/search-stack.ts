import { Aws, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { Config } from '../config.ts';

export interface SearchStackProps extends StackProps {
  readonly config: Config;
  /** Reads and writes the index (the stream consumer). */
  readonly writers: readonly lambda.Function[];
  /** Reads it (the search function). */
  readonly readers: readonly lambda.Function[];
  /** Read and write the open-data snapshots (`open-data/`): their publisher and the dataset functions. */
  readonly openDataWriters: readonly lambda.Function[];
}

/** Objects the search index is made of: `search/<community>.json.gz` (shared/search/store.ts). */
export const SEARCH_INDEX_PREFIX = 'search/';
export const OPEN_DATA_PREFIX = 'open-data/';

/**
 * The bucket's name, fixed by stage, account and region (no reference to this stack): the
 * functions are told it before this stack exists, and the bucket policy here names their roles.
 */
export const searchBucketName = (stage: string) => `hromada-${stage}-search-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

/**
 * Search that costs nothing when idle: each community's index is one small gzipped object in this
 * bucket, kept current by the `searchIndexer` stream consumer and loaded (then refreshed on change)
 * by the search function. No cluster, no always-on service: S3 storage of a few megabytes and
 * requests. The bucket policy is the only grant: the indexer may get and put the index objects,
 * the search function get them; nobody else (no identity policy names the bucket). The same
 * bucket holds each community's open-data snapshot under `open-data/`, got and put by its
 * publisher (a stream consumer) and the dataset functions only. Both are derived data (rebuilt
 * from the table: `npm run ops -- reindex-search`, a dataset's first request), hence no
 * versioning, and DESTROY with the stack.
 */
export class SearchStack extends Stack {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SearchStackProps) {
    super(scope, id, props);
    this.bucket = new s3.Bucket(this, 'SearchIndex', {
      bucketName: searchBucketName(props.config.stage),
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.DESTROY,
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    const objects = this.bucket.arnForObjects(`${SEARCH_INDEX_PREFIX}*`);
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'IndexerReadWrite',
      principals: props.writers.map((fn) => new iam.ArnPrincipal(fn.role!.roleArn)),
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [objects],
    }));
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'SearchRead',
      principals: props.readers.map((fn) => new iam.ArnPrincipal(fn.role!.roleArn)),
      actions: ['s3:GetObject'],
      resources: [objects],
    }));
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OpenDataReadWrite',
      principals: props.openDataWriters.map((fn) => new iam.ArnPrincipal(fn.role!.roleArn)),
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [this.bucket.arnForObjects(`${OPEN_DATA_PREFIX}*`)],
    }));
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the derived search index of public items (titles and texts already public through the API), ' +
        'written by one function and read by another; CloudTrail records the API calls. Server access logs would add a log ' +
        'bucket for no audit value.',
    });
  }
}
