import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { handler } from '../../../functions/http/system/fallback.ts';

const preflight = (path: string, origin: string) =>
  handler({ httpMethod: 'OPTIONS', path, headers: { Origin: origin }, requestContext: { requestId: 'r' } } as unknown as APIGatewayProxyEvent);

describe('CORS preflight (the fallback function, in AWS and locally)', () => {
  const before = process.env.CORS_ORIGINS;
  afterEach(() => {
    if (before === undefined) delete process.env.CORS_ORIGINS;
    else process.env.CORS_ORIGINS = before;
  });

  it('allows a listed origin, echoing it, with only the methods of that path', async () => {
    process.env.CORS_ORIGINS = 'https://rada.example,https://petitions.example';
    const res = await preflight('/v1/petitions/abc/signatures', 'https://petitions.example');
    expect(res.statusCode).toBe(204);
    expect(res.headers?.['access-control-allow-origin']).toBe('https://petitions.example');
    expect(String(res.headers?.['access-control-allow-methods']).split(',').sort()).toEqual(['OPTIONS', 'POST']);
    expect(res.headers?.vary).toBe('Origin');
  });

  it('gives an unlisted origin no CORS headers (the browser then refuses), and an unknown path 404', async () => {
    process.env.CORS_ORIGINS = 'https://rada.example';
    const res = await preflight('/v1/petitions', 'https://evil.example');
    expect(res.statusCode).toBe(204);
    expect(res.headers?.['access-control-allow-origin']).toBeUndefined();
    expect((await preflight('/v1/nowhere', 'https://rada.example')).statusCode).toBe(404);
  });
});
