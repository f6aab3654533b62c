import * as z from 'zod';
import { roles } from '#shared/auth/roles.ts';
import { pageQuery } from '#shared/schemas/common.ts';
import { route } from '#shared/http/route.ts';
import { followingView, preferencesBody, preferencesView, unsubscribeBody, unsubscribeQuery, unsubscribeView } from '#shared/schemas/notifications.ts';
import { problem } from './problem-response.ts';

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
  getMyNotifications: route({
    method: 'GET',
    path: '/v1/me/notifications',
    handler: 'account/notifications-get',
    auth: roles,
    summary: 'Your notification preferences: the address e-mails go to, their language, and which kinds you chose',
    tags: ['account'],
    table: 'read',
    responses: { 200: { description: 'Your preferences (email null: you asked for none)', schema: preferencesView } },
  }),
  putMyNotifications: route({
    method: 'PUT',
    path: '/v1/me/notifications',
    handler: 'account/notifications-put',
    auth: roles,
    summary: 'Choose what you hear about (`own`: your petitions; `followed`: what you follow, or signed, answered or voted on with notify) and in which language; the e-mail is the one your identity provider holds. No kinds: nothing is sent and the address is removed',
    tags: ['account'],
    table: 'readwrite',
    request: { body: preferencesBody },
    responses: { 200: { description: 'Saved', schema: preferencesView }, 422: problem('Your identity provider gave no e-mail address') },
  }),
  getMyFollowing: route({
    method: 'GET',
    path: '/v1/me/following',
    handler: 'account/following',
    auth: roles,
    summary: 'What you follow: petitions, consultations and budgets (also those you asked about when signing, answering or voting)',
    tags: ['account'],
    table: 'read',
    responses: { 200: { description: 'What you follow', schema: followingView } },
  }),
  unsubscribe: route({
    method: 'POST',
    path: '/v1/notifications/unsubscribe',
    handler: 'account/unsubscribe',
    auth: 'public',
    summary: 'One-click unsubscribe (RFC 8058), the link of every e-mail: no sign-in; the signed token names the person. Removes the address: nothing more is sent',
    tags: ['account'],
    table: 'readwrite',
    request: { query: unsubscribeQuery, body: unsubscribeBody, bodyType: 'application/x-www-form-urlencoded', maxBodyBytes: 200 },
    responses: { 200: { description: 'Unsubscribed', schema: unsubscribeView }, 400: problem('Not a valid unsubscribe link') },
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
