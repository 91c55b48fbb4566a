/**
 * Issue 16, item 7: one log line per request (Fastify's default is two), carrying the method, the
 * URL without secrets in its query, the status, the time taken and the request id; readable lines
 * in development; dev-mailbox messages with each link on a line of its own; no favicon 404s.
 */
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { REDACTED_PATHS, devMailboxLogMessage, loggableUrl, readableLogStream } from "../../src/http/logger.js";
import { createTestRuntime, dialects, type TestRuntime } from "../support/dialects.js";
import { ORIGIN, SAMPLE_ACCOUNT, seedAccount, sessionCookie, type TestApp } from "../support/http.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: "info", redact: { paths: REDACTED_PATHS, censor: "[redacted]" } }, sink) };
}

describe.each(dialects)("request logs on %s", (dialect) => {
  let runtime: TestRuntime | undefined;
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });

  it("write one line per request with method, URL, status, time and request id, and no secret of the query", async () => {
    const { lines, logger } = capture();
    runtime = await createTestRuntime(dialect, { env: { LOG_LEVEL: "info" }, logger });
    const app = await buildApp(runtime.deps, { logger });
    const t = { app, runtime } as unknown as TestApp;
    try {
      await seedAccount(t);
      const login = await app.inject({
        method: "POST",
        url: `/api/accounts/${SAMPLE_ACCOUNT.slug}/session`,
        headers: { origin: ORIGIN },
        payload: { login: "admin", password: SAMPLE_ACCOUNT.ownerPassword },
      });
      const cookie = sessionCookie(login);
      lines.length = 0;
      await app.inject({ method: "GET", url: "/healthz" });
      await app.inject({
        method: "GET",
        url: `/api/accounts/${SAMPLE_ACCOUNT.slug}/staff?search=sam&token=abc123secret&code=oidc-code-9`,
        headers: { cookie },
      });
      await app.inject({ method: "GET", url: "/api/no-such-thing" });
      const requests = lines.filter((line) => "status" in line);
      expect(requests.map((line) => [line["method"], line["url"], line["status"]])).toEqual([
        ["GET", "/healthz", 200],
        // Refused for its unknown query fields, and logged without their values.
        ["GET", `/api/accounts/${SAMPLE_ACCOUNT.slug}/staff?search=sam&token=[redacted]&code=[redacted]`, 400],
        ["GET", "/api/no-such-thing", 404],
      ]);
      // Nothing else about those requests: no "incoming request", no "route not found".
      expect(lines).toHaveLength(3);
      for (const line of requests) {
        expect(line).toMatchObject({ level: 30, reqId: expect.any(String), ms: expect.any(Number) });
        expect(line["msg"]).toBe(`${line["method"]} ${line["url"]} ${line["status"]} ${line["ms"]}ms`);
      }
      expect(JSON.stringify(lines)).not.toMatch(/abc123secret|oidc-code-9/);
    } finally {
      await app.close();
    }
  });

  it("answers /favicon.ico with the UI's icon instead of a 404", async () => {
    runtime = await createTestRuntime(dialect);
    const app = await buildApp(runtime.deps);
    try {
      const icon = await app.inject({ method: "GET", url: "/favicon.ico" });
      expect(icon.statusCode).toBe(301);
      expect(icon.headers["location"]).toBe("/favicon.svg");
    } finally {
      await app.close();
    }
  });
});

describe("development log lines", () => {
  it("read as a line a person understands, with errors and warnings named", () => {
    const out: string[] = [];
    const stream = readableLogStream(
      new Writable({
        write(chunk, _encoding, done) {
          out.push(String(chunk));
          done();
        },
      }),
    );
    const time = new Date(2026, 0, 2, 9, 5, 7).getTime();
    stream.write(
      `${JSON.stringify({ level: 30, time, pid: 1, hostname: "h", reqId: "req-1", method: "GET", url: "/api/x", status: 200, ms: 3, msg: "GET /api/x 200 3ms" })}\n`,
    );
    stream.write(`${JSON.stringify({ level: 40, time, msg: "redis connection problem", offsetMs: 2500 })}\n`);
    expect(out).toEqual(["09:05:07 GET /api/x 200 3ms\n", "09:05:07 WARN redis connection problem offsetMs=2500\n"]);
  });

  it("print a dev-mailbox message with each link alone on its line", () => {
    const message = devMailboxLogMessage({
      channel: "sms",
      to: "+14155550100",
      text: "Acme Swim: reset your password: http://localhost:3000/reset-password#token=abc (10 min)",
    });
    const lines = message.split("\n");
    expect(lines[0]).toBe("dev mailbox: sms to +14155550100");
    expect(lines).toContain("http://localhost:3000/reset-password#token=abc");
  });

  it("keep query values that can't hold a secret", () => {
    expect(loggableUrl("/api/accounts/a/audit-events?action=auth.signed_in&limit=50")).toBe(
      "/api/accounts/a/audit-events?action=auth.signed_in&limit=50",
    );
    expect(loggableUrl("/oidc/auth?client_id=app&state=s3cret&nonce=n1")).toBe(
      "/oidc/auth?client_id=app&state=[redacted]&nonce=[redacted]",
    );
  });
});
