import * as z from 'zod';
import { followableTypes, notificationKinds, notificationLanguages, preferencesBody } from '#shared/domain/notifications.ts';

export { preferencesBody };

export const preferencesView = z.object({
  /** The address messages go to (from your identity provider), or null when you asked for none. */
  email: z.string().nullable(),
  language: z.enum(notificationLanguages),
  kinds: z.array(z.enum(notificationKinds)),
});

export const followView = z.object({ following: z.boolean() });

/** Everything you follow (petitions, consultations, budgets), including what you asked about when signing, answering or voting. */
export const followingView = z.object({ items: z.array(z.object({ type: z.enum(followableTypes), id: z.string() })) });

/** Signing and answering: `{"notify": true}` asks to hear what happens next. */
export const notifyBody = z.strictObject({ notify: z.boolean().optional() });

export const unsubscribeQuery = z.strictObject({ token: z.string().min(10).max(600) });
/** RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` (form-encoded); the body is not needed beyond that. */
export const unsubscribeBody = z.string().max(200);
export const unsubscribeView = z.object({ unsubscribed: z.literal(true) });
