import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { Config } from '../config.ts';
import { cognitoConnectSources, contentSecurityPolicy, permissionsPolicy } from '../../web/security-headers.ts';

export interface WebStackProps extends StackProps {
  readonly config: Config;
  readonly api: apigw.RestApi;
  /** CSP hash sources of the inline scripts of the build that is uploaded (WebBuild.scriptHashes). */
  readonly scriptHashes: readonly string[];
}

/**
 * The citizens' web app: `npm run build:web <dir>` output in a private S3 bucket (origin access
 * control; no public access) behind CloudFront, with the API on the same distribution (`/v1/*`,
 * `/openapi.json`), so the app calls it on its own origin (no CORS). Compression (brotli/gzip),
 * hashed assets cached for a year, everything else revalidated, app paths answered with
 * index.html, and the same security headers as the local server (a CSP without `unsafe-inline`).
 * The CSP allows the build's inline boot script by its hash, so the files uploaded must be the
 * build `cdk synth` made: `aws s3 sync cdk.out/web s3://<WebBucketName> --delete` (files only; no
 * Lambda in this stack). Another build of the same sources has the same hash (esbuild is
 * deterministic); a mismatch only loses the head start (the app then asks for its data itself).
 */
export class WebStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const logs = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are delivered with ACLs.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays) }],
      removalPolicy,
      autoDeleteObjects: false,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the access logs of the site bucket and the distribution; logging it into itself would loop.',
    });

    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      removalPolicy,
    });

    const security = {
      // The app also fetches Cognito's discovery document and token endpoint (sign-in with PKCE).
      contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy({ connectSources: cognitoConnectSources(config.region), scriptHashes: props.scriptHashes }), override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
    };
    const headers = (name: string, cacheControl: string) =>
      new cloudfront.ResponseHeadersPolicy(this, name, {
        comment: `hromada ${config.stage}: security headers, Cache-Control ${cacheControl}`,
        securityHeadersBehavior: security,
        customHeadersBehavior: {
          customHeaders: [
            { header: 'Permissions-Policy', value: permissionsPolicy, override: true },
            { header: 'Cache-Control', value: cacheControl, override: true },
          ],
        },
      });
    const immutableHeaders = headers('ImmutableHeaders', 'public, max-age=31536000, immutable');
    const revalidateHeaders = headers('RevalidateHeaders', 'no-cache');

    const longCache = new cloudfront.CachePolicy(this, 'HashedAssets', {
      comment: 'Hashed file names: a changed file has a new name',
      minTtl: Duration.days(365), defaultTtl: Duration.days(365), maxTtl: Duration.days(365),
      enableAcceptEncodingBrotli: true, enableAcceptEncodingGzip: true,
    });
    const shortCache = new cloudfront.CachePolicy(this, 'AppShell', {
      comment: 'index.html, sw.js, manifest: a new deployment shows within a minute',
      minTtl: Duration.seconds(0), defaultTtl: Duration.seconds(60), maxTtl: Duration.seconds(60),
      enableAcceptEncodingBrotli: true, enableAcceptEncodingGzip: true,
    });

    // App paths (no file extension) are the app: /petitions/<id>, /school-vote?...
    const spaFallback = new cloudfront.Function(this, 'SpaFallback', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'App paths without a file extension get index.html',
      code: cloudfront.FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (r.uri.lastIndexOf('.') <= r.uri.lastIndexOf('/')) { r.uri = '/index.html'; } return r; }",
      ),
    });

    const site = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const api = new origins.RestApiOrigin(props.api);
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: api,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      // The API sets its own Cache-Control (no-store, or a few seconds on public reads).
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      compress: true,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `hromada ${config.stage}: web app and API`,
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: site,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        compress: true,
        cachePolicy: shortCache,
        responseHeadersPolicy: revalidateHeaders,
        functionAssociations: [{ function: spaFallback, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/assets/*': {
          origin: site,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          compress: true,
          cachePolicy: longCache,
          responseHeadersPolicy: immutableHeaders,
        },
        '/v1/*': apiBehavior,
        '/openapi.json': apiBehavior,
      },
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Residents travel and emigrants take part (Ukraine: millions abroad); a geo restriction would lock them out. Eligibility is checked per person.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason: 'The API behind /v1/* keeps its regional WAF web ACL (api stack); a CloudFront web ACL must live in us-east-1 and is added with a custom domain.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: 'The default *.cloudfront.net certificate allows TLSv1 by AWS design; TLS 1.2 as the minimum is set with the city’s domain and certificate (minimumProtocolVersion needs a custom certificate).',
    });

    new CfnOutput(this, 'WebUrl', { value: `https://${this.distribution.distributionDomainName}/` });
    new CfnOutput(this, 'WebBucketName', { value: this.bucket.bucketName });
  }
}
