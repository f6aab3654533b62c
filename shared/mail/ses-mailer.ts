import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { checkedHeaders, type Mailer, type MailMessage } from './mailer.ts';

/**
 * Sends through Amazon SES v2 from the stage's verified domain, with its configuration set (which
 * sends bounces and complaints to the account's suppression list and its events to CloudWatch).
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly config: { from: string; configurationSet: string },
    private readonly ses = new SESv2Client({}),
  ) {}

  async send(message: MailMessage): Promise<void> {
    await this.ses.send(new SendEmailCommand({
      FromEmailAddress: this.config.from,
      Destination: { ToAddresses: [message.to] },
      ConfigurationSetName: this.config.configurationSet,
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
          Headers: checkedHeaders(message).map(([Name, Value]) => ({ Name, Value })),
        },
      },
    }));
  }
}
