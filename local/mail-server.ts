import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One received message as `GET /dev/mail` lists it. */
export interface LocalMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly date: string;
  /** Header fields, lower-case names (tests read List-Unsubscribe). */
  readonly headers: Readonly<Record<string, string>>;
  readonly html: string;
}

export interface LocalMailServer {
  /** `smtp://127.0.0.1:<port>`: what the functions' SMTP mailer sends to (LOCAL_SMTP_URL). */
  readonly url: string;
  /** Messages received for an address (case-insensitive), oldest first; every message without one. */
  messages(to?: string): LocalMail[];
  stop(): Promise<void>;
}

async function parse(raw: Buffer, envelopeTo: string): Promise<LocalMail> {
  const parsed = await simpleParser(raw);
  const headers: Record<string, string> = {};
  for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
  return {
    to: envelopeTo,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    date: (parsed.date ?? new Date()).toISOString(),
    headers,
  };
}

/**
 * The local stand-in for Amazon SES: a real SMTP server in the runtime's process (smtp-server) that
 * the functions reach over SMTP (nodemailer), as they would reach any mail relay. Each message is
 * kept as an `.eml` file (one per recipient, RFC 5322 as received) in `dir`, so a developer can open
 * it in a mail client; the list is rebuilt from the folder at start, so it survives restarts.
 */
export async function startLocalMailServer(options: { dir: string; host?: string }): Promise<LocalMailServer> {
  mkdirSync(options.dir, { recursive: true });
  const host = options.host ?? '127.0.0.1';
  const received: LocalMail[] = [];
  for (const file of readdirSync(options.dir).filter((f) => f.endsWith('.eml')).sort()) {
    const raw = readFileSync(join(options.dir, file));
    const to = /^X-Envelope-To: (.+)$/m.exec(raw.toString('utf8'))?.[1]?.trim() ?? '';
    received.push(await parse(raw, to));
  }
  let sequence = received.length;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'hromada local mail',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const body = Buffer.concat(chunks);
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        Promise.all(recipients.map(async (to) => {
          const raw = Buffer.concat([Buffer.from(`X-Envelope-To: ${to}\r\n`), body]);
          const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(++sequence).padStart(6, '0')}.eml`;
          writeFileSync(join(options.dir, name), raw);
          received.push(await parse(raw, to));
        })).then(() => callback(), (error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${host}:${port}`,
    messages: (to) => (to === undefined ? [...received] : received.filter((m) => m.to.toLowerCase() === to.toLowerCase())),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
