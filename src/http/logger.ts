import { Writable } from "node:stream";
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from "fastify";

/**
 * Log redaction (SECURITY.md "HTTP"): cookies, auth headers and every field that can hold a
 * password, token or session id are censored wherever they appear in a log object.
 */
const SECRET_KEYS = [
  "password",
  "currentPassword",
  "newPassword",
  "newPasswordConfirmation",
  "passwordConfirmation",
  "passwordHash",
  "password_hash",
  "token",
  "sessionToken",
  "oneTimePassword",
  "temporaryPassword",
  "cookie",
  "authorization",
  "body",
];

export const REDACTED_PATHS = [
  'req.headers["set-cookie"]',
  'res.headers["set-cookie"]',
  'headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

export function loggerOptions(level: string): FastifyServerOptions["logger"] {
  return { level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } };
}

/** Query parameters whose values never reach the log, whatever the route. */
const SECRET_QUERY = /token|code|secret|password|key|state|nonce|ticket|assertion/i;

/**
 * The request's path and query as logged: values of parameters that might carry a secret (an
 * OpenID `code`, a `state`, any `token`) are replaced, the rest kept for debugging. Reset and
 * unlock links keep their tokens in the fragment, which never reaches the server.
 */
export function loggableUrl(url: string): string {
  const queryAt = url.indexOf("?");
  if (queryAt === -1) return url;
  const params = new URLSearchParams(url.slice(queryAt + 1));
  for (const key of new Set(params.keys())) {
    if (SECRET_QUERY.test(key)) params.set(key, "[redacted]");
  }
  const query = params.toString().replace(/%5Bredacted%5D/g, "[redacted]");
  return query ? `${url.slice(0, queryAt)}?${query}` : url.slice(0, queryAt);
}

/**
 * One log line per request, written when the answer is sent (Fastify's default is two, one on
 * arrival and one on completion). Production's JSON line carries `method`, `url` (see
 * `loggableUrl`), `status`, `ms` and the request id (`reqId`); its message is the same line a
 * person reads in development: `GET /api/accounts/demo/me 200 3ms`.
 */
export class RequestLineLogController extends LogController {
  override incomingRequest(): void {
    // Nothing on arrival: the line is written once the status and the time are known.
  }

  override routeNotFound(): void {
    // The request line says 404 already.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const url = loggableUrl(request.url);
    const ms = Math.round(reply.elapsedTime);
    const status = reply.statusCode;
    const line = { method: request.method, url, status, ms };
    const text = `${request.method} ${url} ${status} ${ms}ms`;
    if (error) reply.log.error({ ...line, err: error }, text);
    else if (status >= 500) reply.log.error(line, text);
    else reply.log.info(line, text);
  }
}

const LEVEL_NAMES: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "", 40: "WARN", 50: "ERROR", 60: "FATAL" };
/** What a development line leaves out: pino's bookkeeping and what the message already says. */
const QUIET_FIELDS = new Set([
  "level",
  "time",
  "pid",
  "hostname",
  "msg",
  "reqId",
  "method",
  "url",
  "status",
  "ms",
  "err",
]);

/**
 * Development's log, for a person at a terminal: each pino JSON line becomes
 * `12:03:04 GET /api/accounts/demo/me 200 3ms`, a warning or error says so, an error's stack
 * follows on its own lines, and multi-line messages (the dev mailbox's) keep their line breaks,
 * so a link sits on a line of its own, whole. Production keeps pino's JSON, for machines.
 */
export function readableLogStream(out: Writable = process.stdout): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const raw of String(chunk).split("\n")) {
        if (raw.trim() === "") continue;
        out.write(`${readableLine(raw)}\n`);
      }
      done();
    },
  });
}

function readableLine(raw: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return raw;
  }
  const time = typeof entry["time"] === "number" ? new Date(entry["time"]).toTimeString().slice(0, 8) : "";
  const level = LEVEL_NAMES[Number(entry["level"])] ?? "";
  const extra = Object.entries(entry)
    .filter(([key]) => !QUIET_FIELDS.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  const err = entry["err"] as { stack?: unknown; message?: unknown } | undefined;
  const stack = err ? `\n${String(err.stack ?? err.message ?? "")}` : "";
  return [time, level, String(entry["msg"] ?? ""), ...extra].filter((part) => part !== "").join(" ") + stack;
}

/**
 * A dev-mailbox message for the log: who it is for and its subject on the first line, the text
 * indented below, and every link again on a line of its own, whole, so a terminal can open it.
 */
export function devMailboxLogMessage(entry: {
  readonly channel: string;
  readonly to: string;
  readonly subject?: string | undefined;
  readonly text: string;
}): string {
  const links = [...new Set(entry.text.match(/https?:\/\/[^\s<>"]+/g) ?? [])];
  return [
    `dev mailbox: ${entry.channel} to ${entry.to}${entry.subject ? ` — ${entry.subject}` : ""}`,
    ...entry.text.split("\n").map((line) => `  | ${line}`),
    ...(links.length > 0 ? [`  ${links.length === 1 ? "Link" : "Links"}:`, ...links] : []),
  ].join("\n");
}
