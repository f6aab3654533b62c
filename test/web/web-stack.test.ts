import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { Stack } from 'aws-cdk-lib';
import { cspHash } from '../../web/build.ts';
import { ofType, synthTestApp, webBuild, type TestApp } from '../infra/support.ts';
import { inlineScripts } from './support/browser.ts';

/** The deployed side of the web app: the synthesized web stack (S3 + CloudFront, API on the same origin). */
let t: TestApp;
let web: Template;
beforeAll(async () => {
  t = await synthTestApp();
  web = t.templateOf(t.app.node.findChild('Web') as Stack);
}, 120_000);
afterAll(() => t?.cleanup());

const distribution = () => ofType(web, 'AWS::CloudFront::Distribution')[0]![1].Properties!.DistributionConfig as any;

describe('web stack', () => {
  it('keeps the site bucket private, encrypted and TLS-only, read by CloudFront through origin access control', () => {
    const buckets = ofType(web, 'AWS::S3::Bucket');
    expect(buckets.length).toBe(2);
    for (const [, bucket] of buckets) {
      expect(bucket.Properties!.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(bucket.Properties!.BucketEncryption).toBeDefined();
    }
    expect(ofType(web, 'AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
    const policies = ofType(web, 'AWS::S3::BucketPolicy').map(([, p]) => JSON.stringify(p.Properties));
    expect(policies.some((p) => p.includes('cloudfront.amazonaws.com') && p.includes('AWS:SourceArn'))).toBe(true);
    expect(policies.every((p) => p.includes('aws:SecureTransport'))).toBe(true);
  });

  it('routes /v1/* and /openapi.json to the API on the same distribution, uncached, all methods', () => {
    const config = distribution();
    const behaviors = Object.fromEntries(config.CacheBehaviors.map((b: any) => [b.PathPattern, b]));
    const apiOriginId = config.Origins.find((o: any) => JSON.stringify(o.DomainName).includes('execute-api')).Id;
    for (const path of ['/v1/*', '/openapi.json']) {
      expect(behaviors[path].TargetOriginId).toBe(apiOriginId);
      expect(behaviors[path].AllowedMethods).toContain('POST');
      expect(behaviors[path].CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // CachingDisabled
      expect(behaviors[path].ViewerProtocolPolicy).toBe('https-only');
    }
    expect(config.DefaultCacheBehavior.TargetOriginId).not.toBe(apiOriginId);
    expect(config.DefaultCacheBehavior.FunctionAssociations[0].EventType).toBe('viewer-request');
  });

  it('compresses, caches hashed assets for a year and revalidates the rest', () => {
    const config = distribution();
    expect(config.DefaultCacheBehavior.Compress).toBe(true);
    const assets = config.CacheBehaviors.find((b: any) => b.PathPattern === '/assets/*');
    expect(assets.Compress).toBe(true);
    const cachePolicies = ofType(web, 'AWS::CloudFront::CachePolicy').map(([, p]) => (p.Properties as any).CachePolicyConfig);
    const year = cachePolicies.find((p) => p.DefaultTTL === 31_536_000);
    expect(year.ParametersInCacheKeyAndForwardedToOrigin.EnableAcceptEncodingBrotli).toBe(true);
    const headerValues = ofType(web, 'AWS::CloudFront::ResponseHeadersPolicy').map(([, p]) =>
      (p.Properties as any).ResponseHeadersPolicyConfig.CustomHeadersConfig.Items.find((h: any) => h.Header === 'Cache-Control').Value);
    expect(headerValues.sort()).toEqual(['no-cache', 'public, max-age=31536000, immutable']);
  });

  it('sends security headers with a CSP that allows no inline style and no inline script but the build\'s boot script, by its hash', async () => {
    // The build the stacks were given (synth: cdk.out/web, what is uploaded): its one inline script, hashed here from the file.
    const built = await webBuild();
    const inline = inlineScripts(built.outDir);
    expect(inline).toHaveLength(1);
    for (const [, policy] of ofType(web, 'AWS::CloudFront::ResponseHeadersPolicy')) {
      const security = (policy.Properties as any).ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      const csp: string = security.ContentSecurityPolicy.ContentSecurityPolicy;
      expect(csp).toContain(`script-src 'self' ${cspHash(inline[0]!)};`);
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
      expect(security.FrameOptions.FrameOption).toBe('DENY');
    }
  });
});
