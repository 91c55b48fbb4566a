/** A real SMTP server in the test process (smtp-server), collecting parsed messages. */
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface TestSmtpServer {
  readonly url: string;
  readonly port: number;
  readonly messages: ReceivedMail[];
  /** Recipients whose RCPT TO is refused with a permanent 550. */
  readonly refuseRecipients: Set<string>;
  stop(): Promise<void>;
  /** Listens again on the same port (after `stop`, to model an outage). */
  start(): Promise<void>;
}

export async function startSmtpServer(port = 0, options: { delayMs?: number } = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const refuseRecipients = new Set<string>();
  let server: SMTPServer | undefined;
  let boundPort = port;

  async function listen(): Promise<void> {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (refuseRecipients.has(address.address)) {
          const error = new Error("mailbox unavailable") as Error & { responseCode: number };
          error.responseCode = 550;
          callback(error);
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          // A slow server: it takes its time before accepting the message.
          .then(async (parsed) => {
            if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
            return parsed;
          })
          .then((parsed) => {
            messages.push({
              to: session.envelope.rcptTo.map((r) => r.address).join(","),
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : "",
            });
            callback();
          })
          .catch(callback);
      },
    });
    const current = server;
    await new Promise<void>((resolve, reject) => {
      current.once("error", reject);
      current.listen(boundPort, "127.0.0.1", () => resolve());
    });
    const address = current.server.address();
    if (typeof address === "object" && address) boundPort = address.port;
  }

  await listen();
  return {
    get url() {
      return `smtp://127.0.0.1:${boundPort}`;
    },
    get port() {
      return boundPort;
    },
    messages,
    refuseRecipients,
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    start: listen,
  };
}

/** The reset link's token in a received message. */
export function tokenFrom(mail: ReceivedMail): string {
  const match = /\/reset-password#token=([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no reset link in: ${mail.text}`);
  return match[1];
}
