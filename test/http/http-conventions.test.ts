import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { REDACTED_PATHS } from "../../src/http/logger.js";
import { createAccount } from "../../src/modules/accounts/index.js";
import { createTestRuntime, dialects } from "../support/dialects.js";
import {
  ORIGIN,
  SAMPLE_ACCOUNT,
  createTestApp,
  seedAccount,
  sessionCookie,
  signIn,
  type TestApp,
} from "../support/http.js";

const PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;

describe.each(dialects)("HTTP conventions on %s", (dialect) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    await seedAccount(t);
  });
  afterEach(async () => t.close());

  it("refuses unsafe requests without our Origin", async () => {
    for (const origin of [undefined, "null", "https://evil.example", "http://localhost:3000.evil.example"]) {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/accounts/acme-swim/session",
        headers: origin ? { origin } : {},
        payload: { login: "admin", password: PASSWORD },
      });
      expect(response.statusCode, String(origin)).toBe(403);
      expect(response.json().error.code).toBe("csrf_rejected");
    }
    const ok = await t.app.inject({
      method: "POST",
      url: "/api/accounts/acme-swim/session",
      headers: { origin: ORIGIN },
      payload: { login: "admin", password: PASSWORD },
    });
    expect(ok.statusCode).toBe(200);
  });

  it("rejects unknown and missing body fields, naming them", async () => {
    const response = await t.request({
      method: "POST",
      url: "/api/accounts/acme-swim/session",
      payload: { login: "admin", password: PASSWORD, isOwner: true },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: "validation_failed",
      details: { fields: { isOwner: expect.any(String) } },
    });
    const missing = await t.request({
      method: "POST",
      url: "/api/accounts/acme-swim/session",
      payload: { login: "admin" },
    });
    expect(missing.statusCode).toBe(400);
    expect(Object.keys(missing.json().error.details.fields)).toContain("password");
  });

  it("limits body size", async () => {
    const response = await t.request({
      method: "POST",
      url: "/api/accounts/acme-swim/session",
      payload: { login: "admin", password: "x".repeat(100_000) },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe("payload_too_large");
  });

  it("sets security headers and a strict CSP", async () => {
    const response = await t.request({ method: "GET", url: "/api/accounts/acme-swim" });
    const csp = String(response.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["referrer-policy"]).toBe("no-referrer");
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.headers["strict-transport-security"]).toBeUndefined(); // http PUBLIC_URL
  });

  it("answers unknown API paths with a JSON not_found", async () => {
    const response = await t.request({ method: "GET", url: "/api/nothing-here" });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe("not_found");
  });

  it("publishes an OpenAPI document generated from the route schemas", async () => {
    const response = await t.request({ method: "GET", url: "/api/openapi.json" });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/accounts/{account}/session", "/api/accounts/{account}/me/password"]),
    );
  });

  it("serves health", async () => {
    expect((await t.request({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
  });
});

describe("behind one trusted proxy", () => {
  it("takes the client IP from the proxy's X-Forwarded-For entry, not from what the client wrote", async () => {
    const runtime = await createTestRuntime("sqlite");
    const app = await buildApp(runtime.deps, { trustProxy: 1 });
    try {
      await createAccount(runtime.deps, SAMPLE_ACCOUNT);
      await app.inject({
        method: "POST",
        url: "/api/accounts/acme-swim/session",
        remoteAddress: "10.0.0.2",
        headers: { origin: ORIGIN, "x-forwarded-for": "6.6.6.6, 203.0.113.7" },
        payload: { login: "admin", password: "wrong-password-1" },
      });
      const event = await runtime.deps.db
        .selectFrom("audit_events")
        .select("ip")
        .where("action", "=", "auth.sign_in_failed")
        .executeTakeFirstOrThrow();
      expect(event.ip).toBe("203.0.113.7");
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});

describe("under an https PUBLIC_URL", () => {
  it("uses a Secure __Host- cookie and HSTS", async () => {
    const t = await createTestApp("sqlite", { env: { PUBLIC_URL: "https://portal.example.com" } });
    try {
      await seedAccount(t);
      const response = await t.app.inject({
        method: "POST",
        url: "/api/accounts/acme-swim/session",
        headers: { origin: "https://portal.example.com" },
        payload: { login: "admin", password: PASSWORD },
      });
      expect(response.statusCode).toBe(200);
      const cookie = response.cookies.find((c) => c.name === "__Host-staffgate_session");
      expect(cookie).toMatchObject({ secure: true, httpOnly: true, path: "/", sameSite: "Lax" });
      expect(cookie?.domain).toBeUndefined();
      expect(response.headers["strict-transport-security"]).toContain("max-age=");
    } finally {
      await t.close();
    }
  });
});

describe("logs", () => {
  it("never contain passwords, session ids or cookies, even at trace level", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: "trace", redact: { paths: REDACTED_PATHS, censor: "[redacted]" } }, sink);
    const runtime = await createTestRuntime("sqlite");
    const app = await buildApp(runtime.deps, { logger });
    try {
      const t: TestApp = {
        app,
        runtime,
        request: ({ cookie, headers, ...rest }) =>
          app.inject({ ...rest, headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}), ...headers } }),
        close: async () => undefined,
      };
      await seedAccount(t);
      await signIn(t, "admin", "a-wrong-password-123");
      const cookie = sessionCookie(await signIn(t, "admin", PASSWORD));
      await t.request({ method: "GET", url: "/api/accounts/acme-swim/me", cookie });
      await t.request({
        method: "PUT",
        url: "/api/accounts/acme-swim/me/password",
        cookie,
        payload: {
          currentPassword: PASSWORD,
          newPassword: "quiet-otter-4711",
          newPasswordConfirmation: "quiet-otter-4711",
        },
      });
      logger.info({ body: { password: PASSWORD }, token: "secret-token-value" }, "a careless log call");
      const log = lines.join("");
      // One line per request (four) and the careless call.
      expect(lines.length).toBeGreaterThanOrEqual(5);
      const sessionId = cookie.split("=")[1] as string;
      for (const secret of [PASSWORD, "a-wrong-password-123", "quiet-otter-4711", sessionId, "secret-token-value"]) {
        expect(log).not.toContain(secret);
      }
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});
