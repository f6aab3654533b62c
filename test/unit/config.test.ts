import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  alertDestination,
  authSettings,
  ConfigurationError,
  corsOrigins,
  dynamoEndpoint,
  keyRingSource,
  mailSettings,
  observabilitySettings,
  openDataLocation,
  residencySetting,
  searchIndexLocation,
  tableName,
} from '#shared/config.ts';

describe('configuration from the environment (shared/config.ts)', () => {
  it('reads each concern, with the defaults the code has always had', () => {
    expect(tableName({ TABLE_NAME: 'hromada-dev' })).toBe('hromada-dev');
    expect(dynamoEndpoint({})).toBeUndefined();
    expect(dynamoEndpoint({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).toBe('http://127.0.0.1:8000');
    expect(corsOrigins({})).toEqual(['*']);
    expect(corsOrigins({ CORS_ORIGINS: 'https://a.example,https://b.example' })).toEqual(['https://a.example', 'https://b.example']);
    expect(searchIndexLocation({ SEARCH_BUCKET: 'b' })).toEqual({ bucket: 'b', dir: undefined, namespace: 'default' });
    expect(openDataLocation({ OPEN_DATA_DIR: '/d', TABLE_NAME: 't' })).toEqual({ bucket: undefined, dir: '/d', namespace: 't' });
    expect(keyRingSource({ SECRETS_ARN: 'arn:x' })).toEqual({ json: undefined, arn: 'arn:x' });
    expect(mailSettings({ MAIL_FROM: '' })).toEqual({ from: undefined, configurationSet: undefined, localSmtpUrl: undefined });
    expect(alertDestination({ EVENT_BUS_NAME: 'bus' })).toEqual({ eventBusName: 'bus', localSink: undefined });
    const auth = authSettings({ AUTH_ISSUER: 'https://issuer.example' });
    expect(auth).toMatchObject({ issuer: 'https://issuer.example', audience: undefined });
    expect(auth.jwksUrl.href).toBe('https://issuer.example/.well-known/jwks.json');
  });

  it('reads the observability settings: a log level in any case, INFO by default; tracing and metrics flags', () => {
    expect(observabilitySettings({})).toEqual({ logLevel: 'INFO', serviceName: 'hromada', tracing: false, metrics: false });
    expect(observabilitySettings({ LOG_LEVEL: 'warn', POWERTOOLS_TRACE_ENABLED: 'true', AWS_LAMBDA_FUNCTION_NAME: 'f' }))
      .toEqual({ logLevel: 'WARN', serviceName: 'hromada', tracing: true, metrics: true });
    expect(observabilitySettings({ LOG_LEVEL: '', POWERTOOLS_METRICS_DISABLED: 'false' })).toMatchObject({ logLevel: 'INFO', metrics: true });
    // Every invalid variable is named, not only the first.
    expect(() => observabilitySettings({ LOG_LEVEL: 'LOUD', POWERTOOLS_TRACE_ENABLED: 'yes' }))
      .toThrow(/observability settings.*LOG_LEVEL: expected one of .*"INFO".*POWERTOOLS_TRACE_ENABLED: expected one of "true", "false", ""/);
  });

  it('fails naming the variable when a value is missing or invalid', () => {
    expect(() => tableName({})).toThrow(ConfigurationError);
    expect(() => tableName({})).toThrow(/TABLE_NAME/);
    expect(() => dynamoEndpoint({ DYNAMODB_ENDPOINT: 'not a url' })).toThrow(/DYNAMODB_ENDPOINT/);
    expect(() => authSettings({ AUTH_JWKS_URL: 'nope' })).toThrow(/AUTH_JWKS_URL/);
    expect(() => authSettings({})).toThrow(/AUTH_ISSUER/);
    expect(() => mailSettings({ LOCAL_SMTP_URL: 'smtp' })).toThrow(/LOCAL_SMTP_URL/);
  });

  it('validates the residency mapping with the caller’s schema, naming RESIDENCY', () => {
    const schema = z.object({ attribute: z.string() });
    expect(residencySetting(schema, {})).toBeUndefined();
    expect(residencySetting(schema, { RESIDENCY: 'null' })).toBeUndefined();
    expect(residencySetting(schema, { RESIDENCY: '{"attribute":"residence"}' })).toEqual({ attribute: 'residence' });
    expect(() => residencySetting(schema, { RESIDENCY: '{' })).toThrow(/RESIDENCY: not JSON/);
    expect(() => residencySetting(schema, { RESIDENCY: '{"attribute":1}' })).toThrow(/RESIDENCY\.attribute/);
  });

  it('follows the environment: a changed variable is read again, an unchanged one is not parsed again', () => {
    const env: Record<string, string | undefined> = { TABLE_NAME: 'one', SEARCH_BUCKET: 'b' };
    expect(tableName(env)).toBe('one');
    env.TABLE_NAME = 'two';
    expect(tableName(env)).toBe('two');
    const first = searchIndexLocation(env);
    expect(searchIndexLocation({ ...env })).toBe(first);
    env.SEARCH_BUCKET = 'c';
    expect(searchIndexLocation(env)).toEqual({ bucket: 'c', dir: undefined, namespace: 'two' });
  });

  it('lists the variables each setting reads', () => {
    expect(tableName.variables).toEqual(['TABLE_NAME']);
    expect(searchIndexLocation.variables).toEqual(['SEARCH_BUCKET', 'SEARCH_INDEX_DIR', 'TABLE_NAME']);
    expect(residencySetting.variables).toEqual(['RESIDENCY']);
  });
});
