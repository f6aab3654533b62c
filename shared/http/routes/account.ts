import * as z from 'zod';
import { roles } from '../../auth/roles.ts';
import { pageQuery } from '../../schemas/common.ts';
import { route } from '../route.ts';

const auditPage = z.object({
  items: z.array(z.object({
    at: z.string(),
    action: z.string(),
    actor: z.object({ sub: z.string(), roles: z.array(z.string()) }),
    target: z.object({ type: z.string(), id: z.string() }),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })),
  nextCursor: z.string().nullable(),
});

export const accountRoutes = {
  exportMyData: route({
    method: 'GET',
    path: '/v1/me/data',
    handler: 'account/export',
    auth: roles,
    summary: 'Everything the platform keeps that is tied to you (data portability): signatures, petitions, budget projects and pre-supports, consultation comments and proposals; never a ballot',
    tags: ['account'],
    table: 'read',
    responses: { 200: { description: 'Your data' } },
  }),
  eraseMyData: route({
    method: 'DELETE',
    path: '/v1/me/data',
    handler: 'account/erase',
    auth: roles,
    summary: 'Erase what the law allows: names on signatures of petitions no longer open, and drafts never submitted',
    tags: ['account'],
    table: 'readwrite',
    responses: { 200: { description: 'What was erased and what was kept, and why' } },
  }),
  councilAudit: route({
    method: 'GET',
    path: '/v1/council/audit',
    handler: 'council/audit',
    auth: ['council', 'moderator'],
    summary: 'The audit trail of staff decisions in your community, newest first (append-only)',
    tags: ['council'],
    table: 'read',
    request: { query: z.strictObject({ ...pageQuery }) },
    responses: { 200: { description: 'A page of audit entries', schema: auditPage } },
  }),
} as const;
