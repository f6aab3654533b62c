import { createTransport, type Transporter } from 'nodemailer';
import { checkedHeaders, type Mailer, type MailMessage } from './mailer.ts';

/** Sends over SMTP (the local runtime's in-process server): the same messages SES would send. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(private readonly config: { url: string; from: string }) {
    this.transport = createTransport(config.url);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.config.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: Object.fromEntries(checkedHeaders(message)),
    });
  }
}
