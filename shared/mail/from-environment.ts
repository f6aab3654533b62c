import type { Mailer } from './mailer.ts';
import { SesMailer } from './ses-mailer.ts';
import { SmtpMailer } from './smtp-mailer.ts';

/**
 * The mailer this function's environment names: SES in AWS (MAIL_FROM + MAIL_CONFIGURATION_SET,
 * set by the CDK app when the stage configures `mail`), the local SMTP server (LOCAL_SMTP_URL, set
 * by the local runtime). Undefined when neither: the deployment sends no e-mail, and what would
 * have been sent stays undelivered (the alert notifier says so, and an alarm watches for it).
 */
export function mailerFromEnvironment(): Mailer | undefined {
  const { MAIL_FROM, MAIL_CONFIGURATION_SET, LOCAL_SMTP_URL } = process.env;
  // Read per call and cached per setting: one client per Lambda container, and a local runtime
  // started again in the same process (tests) gets its own SMTP server, not the stopped one.
  const setting = `${LOCAL_SMTP_URL ?? ''}|${MAIL_FROM ?? ''}|${MAIL_CONFIGURATION_SET ?? ''}`;
  if (cached?.setting === setting) return cached.mailer;
  let mailer: Mailer | undefined;
  if (LOCAL_SMTP_URL) mailer = new SmtpMailer({ url: LOCAL_SMTP_URL, from: MAIL_FROM || 'Громада <hromada@localhost>' });
  else if (MAIL_FROM && MAIL_CONFIGURATION_SET) mailer = new SesMailer({ from: MAIL_FROM, configurationSet: MAIL_CONFIGURATION_SET });
  cached = { setting, mailer };
  return mailer;
}

let cached: { setting: string; mailer: Mailer | undefined } | undefined;
