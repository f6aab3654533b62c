/** One e-mail to one recipient. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /**
   * Extra header fields (`List-Unsubscribe`, `List-Unsubscribe-Post`, ...). Names and values are
   * checked: a CR or LF in either is refused (no header injection).
   */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Port: where e-mail goes. Amazon SES v2 in AWS (shared/mail/ses-mailer.ts), SMTP to the local
 * runtime's in-process server on a developer's machine (shared/mail/smtp-mailer.ts).
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

const HEADER_NAME = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;

/** The message's extra headers, refused when a name is not a token or a value holds a line break. */
export function checkedHeaders(message: MailMessage): [string, string][] {
  const entries = Object.entries(message.headers ?? {});
  for (const [name, value] of entries) {
    if (!HEADER_NAME.test(name) || /[\r\n]/.test(value) || value.length > 900) throw new Error(`Refused mail header "${name.slice(0, 64)}"`);
  }
  if (/[\r\n]/.test(message.subject) || /[\r\n]/.test(message.to)) throw new Error('Refused mail: a line break in the subject or the address');
  return entries;
}
