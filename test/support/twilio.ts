/**
 * A local HTTP server that speaks the Twilio Messages API as Staffgate uses it:
 * POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form fields To, From, Body, HTTP basic
 * auth with the account SID and auth token; 201 with the message resource, or Twilio's error
 * JSON ({code, message, more_info, status}).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { randomBytes } from "node:crypto";

export interface FakeTwilioMessage {
  readonly sid: string;
  readonly to: string;
  readonly from: string;
  readonly body: string;
}

export interface FakeTwilio {
  readonly baseUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  readonly messages: FakeTwilioMessage[];
  /** Every request seen, including failed ones. */
  readonly requests: number;
  /** The next `count` requests get this status (500, 503, 429, 400, …). */
  failNext(status: number, count?: number): void;
  /** The next `count` requests never get an answer (a timeout). */
  hangNext(count?: number): void;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeTwilio(
  accountSid = "AC00000000000000000000000000000001",
  authToken = "test-auth-token",
): Promise<FakeTwilio> {
  const messages: FakeTwilioMessage[] = [];
  const failures: number[] = [];
  let hanging = 0;
  let requests = 0;
  const hung: Array<() => void> = [];
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;

  const server: Server = createServer((request, response) => {
    requests++;
    const reply = (status: number, body: object) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    const error = (status: number, code: number, message: string) =>
      reply(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

    if (hanging > 0) {
      hanging--;
      hung.push(() => response.destroy());
      return;
    }
    const failure = failures.shift();
    if (failure !== undefined) return error(failure, 20500, "Simulated failure");
    if (request.method !== "POST" || request.url !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) {
      return error(404, 20404, "The requested resource was not found");
    }
    if (request.headers.authorization !== expectedAuth) return error(401, 20003, "Authenticate");
    if (!String(request.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) {
      return error(400, 21601, "Content-Type must be form-encoded");
    }
    void readBody(request).then((raw) => {
      const form = new URLSearchParams(raw);
      const to = form.get("To") ?? "";
      const from = form.get("From") ?? "";
      const body = form.get("Body") ?? "";
      if (!/^\+[1-9]\d{7,14}$/.test(to)) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      if (!from) return error(400, 21603, "A 'From' phone number is required.");
      if (!body) return error(400, 21602, "Message body is required.");
      const sid = `SM${randomBytes(16).toString("hex")}`;
      messages.push({ sid, to, from, body });
      reply(201, { sid, account_sid: accountSid, to, from, body, status: "queued", num_segments: "1" });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    messages,
    get requests() {
      return requests;
    },
    failNext(status, count = 1) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    hangNext(count = 1) {
      hanging += count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of hung.splice(0)) release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The reset token in a text message. */
export function tokenFromText(body: string): string {
  const match = /\/reset-password#token=([A-Za-z0-9_-]+)/.exec(body);
  if (!match?.[1]) throw new Error(`no reset link in: ${body}`);
  return match[1];
}

export function twilioEnv(twilio: FakeTwilio): Record<string, string> {
  return {
    SMS_PROVIDER: "twilio",
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM_NUMBER: "+15550001111",
    TWILIO_API_BASE_URL: twilio.baseUrl,
  };
}
