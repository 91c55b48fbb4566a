/**
 * A local HTTP server that speaks the Twilio Messages API as Staffgate uses it:
 * - POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form fields To, From, Body: 201 with the
 *   message resource;
 * - GET the same path with `To`, `From`, `DateSent` / `DateSent>` / `DateSent<` (YYYY-MM-DD, UTC:
 *   on the wire `DateSent>=2024-05-01` is the parameter `DateSent>`), `PageSize` and `Page`: one
 *   page of messages, newest first, with Twilio's paging fields (`next_page_uri` …);
 * HTTP basic auth with the account SID and auth token; errors as Twilio's error JSON
 * ({code, message, more_info, status}).
 *
 * Faults: `failNext` answers the next requests with an error status, `hangNext` never answers
 * them (a timeout, nothing created), `acceptThenHangNext` creates the message and then never
 * answers (a timeout after Twilio took it: the case that must not lead to a second text), and
 * `acceptThenFailNext` creates it and answers with an error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";

export interface FakeTwilioMessage {
  readonly sid: string;
  readonly to: string;
  readonly from: string;
  readonly body: string;
  readonly dateCreated: Date;
  /** This server "sends" at once: null only for messages given as still queued. */
  readonly dateSent: Date | null;
}

export interface FakeTwilio {
  readonly baseUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  readonly messages: FakeTwilioMessage[];
  /** Every request seen, including failed ones. */
  readonly requests: number;
  /** Message list requests (GET) answered with a list. */
  readonly listRequests: number;
  /** Requests to create a message (POST) seen, whatever became of them. */
  readonly createRequests: number;
  /** The next `count` requests get this status (500, 503, 429, 400, …). */
  failNext(status: number, count?: number): void;
  /** The next `count` requests never get an answer (a timeout); nothing is created. */
  hangNext(count?: number): void;
  /** The next `count` messages are created, and then their requests never get an answer. */
  acceptThenHangNext(count?: number): void;
  /** The next `count` messages are created, and then answered with this error status. */
  acceptThenFailNext(status: number, count?: number): void;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The message resource as Twilio renders it (dates in RFC 2822). */
function resource(accountSid: string, message: FakeTwilioMessage) {
  return {
    sid: message.sid,
    account_sid: accountSid,
    to: message.to,
    from: message.from,
    body: message.body,
    status: message.dateSent ? "sent" : "queued",
    direction: "outbound-api",
    num_segments: "1",
    date_created: message.dateCreated.toUTCString(),
    date_sent: message.dateSent ? message.dateSent.toUTCString() : null,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}.json`,
  };
}

export async function startFakeTwilio(
  accountSid = "AC00000000000000000000000000000001",
  authToken = "test-auth-token",
): Promise<FakeTwilio> {
  const messages: FakeTwilioMessage[] = [];
  const failures: number[] = [];
  /** After creating the message: "hang", or an error status. */
  const afterAccept: Array<"hang" | number> = [];
  let hanging = 0;
  let requests = 0;
  let listRequests = 0;
  let createRequests = 0;
  const hung: Array<() => void> = [];
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
  const messagesPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;

  const reply = (response: ServerResponse, status: number, body: object) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const error = (response: ServerResponse, status: number, code: number, message: string) =>
    reply(response, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

  function list(url: URL, response: ServerResponse): void {
    listRequests++;
    const query = url.searchParams;
    const pageSize = Math.min(Number(query.get("PageSize") ?? 50) || 50, 1000);
    const page = Number(query.get("Page") ?? 0) || 0;
    const dayOf = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);
    for (const name of ["DateSent", "DateSent>", "DateSent<"]) {
      const value = query.get(name);
      if (value !== null && !DAY.test(value)) {
        return error(response, 400, 20001, `Invalid ${name}: expected YYYY-MM-DD`);
      }
    }
    const matching = messages
      .filter((m) => !query.get("To") || m.to === query.get("To"))
      .filter((m) => !query.get("From") || m.from === query.get("From"))
      .filter((m) => !query.get("DateSent") || dayOf(m.dateSent) === query.get("DateSent"))
      // Twilio filters on date_sent: a message not sent yet has none and matches no range.
      .filter((m) => !query.get("DateSent>") || (dayOf(m.dateSent) ?? "") >= (query.get("DateSent>") as string))
      .filter((m) => !query.get("DateSent<") || (dayOf(m.dateSent) ?? "9999") <= (query.get("DateSent<") as string))
      .reverse();
    const items = matching.slice(page * pageSize, (page + 1) * pageSize);
    const pageUri = (n: number) => {
      const next = new URLSearchParams(query);
      next.set("Page", String(n));
      next.set("PageSize", String(pageSize));
      return `${messagesPath}?${next}`;
    };
    reply(response, 200, {
      messages: items.map((m) => resource(accountSid, m)),
      page,
      page_size: pageSize,
      start: page * pageSize,
      end: page * pageSize + Math.max(0, items.length - 1),
      uri: `${url.pathname}${url.search}`,
      first_page_uri: pageUri(0),
      previous_page_uri: page > 0 ? pageUri(page - 1) : null,
      next_page_uri: (page + 1) * pageSize < matching.length ? pageUri(page + 1) : null,
    });
  }

  const server: Server = createServer((request, response) => {
    requests++;
    if (request.method === "POST") createRequests++;
    if (hanging > 0) {
      hanging--;
      hung.push(() => response.destroy());
      return;
    }
    const failure = failures.shift();
    if (failure !== undefined) return error(response, failure, 20500, "Simulated failure");
    const url = new URL(request.url ?? "/", "http://twilio.test");
    if (url.pathname !== messagesPath || (request.method !== "POST" && request.method !== "GET")) {
      return error(response, 404, 20404, "The requested resource was not found");
    }
    if (request.headers.authorization !== expectedAuth) return error(response, 401, 20003, "Authenticate");
    if (request.method === "GET") return list(url, response);
    if (!String(request.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) {
      return error(response, 400, 21601, "Content-Type must be form-encoded");
    }
    void readBody(request).then((raw) => {
      const form = new URLSearchParams(raw);
      const to = form.get("To") ?? "";
      const from = form.get("From") ?? "";
      const body = form.get("Body") ?? "";
      if (!/^\+[1-9]\d{7,14}$/.test(to)) {
        return error(response, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      }
      if (!from) return error(response, 400, 21603, "A 'From' phone number is required.");
      if (!body) return error(response, 400, 21602, "Message body is required.");
      const now = new Date();
      const message = { sid: `SM${randomBytes(16).toString("hex")}`, to, from, body, dateCreated: now, dateSent: now };
      messages.push(message);
      const then = afterAccept.shift();
      if (then === "hang") {
        hung.push(() => response.destroy());
        return;
      }
      if (then !== undefined) return error(response, then, 20500, "Simulated failure after the message was created");
      reply(response, 201, resource(accountSid, message));
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
    get listRequests() {
      return listRequests;
    },
    get createRequests() {
      return createRequests;
    },
    failNext(status, count = 1) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    hangNext(count = 1) {
      hanging += count;
    },
    acceptThenHangNext(count = 1) {
      for (let i = 0; i < count; i++) afterAccept.push("hang");
    },
    acceptThenFailNext(status, count = 1) {
      for (let i = 0; i < count; i++) afterAccept.push(status);
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
