import { mailSettings } from '#shared/config.ts';
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
  const { from, configurationSet, localSmtpUrl } = mailSettings();
  // Read per call and cached per setting: one client per Lambda container, and a local runtime
  // started again in the same process (tests) gets its own SMTP server, not the stopped one.
  const setting = `${localSmtpUrl ?? ''}|${from ?? ''}|${configurationSet ?? ''}`;
  if (cached?.setting === setting) return cached.mailer;
  let mailer: Mailer | undefined;
  if (localSmtpUrl) mailer = new SmtpMailer({ url: localSmtpUrl, from: from ?? 'Громада <hromada@localhost>' });
  else if (from && configurationSet) mailer = new SesMailer({ from, configurationSet });
  cached = { setting, mailer };
  return mailer;
}

let cached: { setting: string; mailer: Mailer | undefined } | undefined;
