/**
 * Hostile input: property-based requests against every endpoint, on both databases. Whatever
 * arrives — wrong types, unknown fields, huge or odd strings (NUL, lone surrogates, bidi
 * controls, 10,000 characters), broken JSON, odd query strings or path segments — the answer is
 * never a 500, always the JSON error envelope, and never contains a secret.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSupportAgent } from "../../src/modules/support/index.js";
import { dialects } from "../support/dialects.js";
import {
  ORIGIN,
  SAMPLE_ACCOUNT,
  createTestApp,
  insertStaffMember,
  seedAccount,
  sessionCookie,
  signIn,
  type TestApp,
} from "../support/http.js";

const SECRETS = [SAMPLE_ACCOUNT.ownerPassword as string, "argon2id", "front-desk-pass-1"];

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const endpoints: Array<{ method: "POST" | "PUT" | "PATCH" | "GET"; url: string }> = [
  { method: "POST", url: `${BASE}/session` },
  { method: "POST", url: `${BASE}/password-resets` },
  { method: "POST", url: "/api/password-resets/lookup" },
  { method: "POST", url: "/api/password-resets/check" },
  { method: "POST", url: "/api/password-resets/complete" },
  { method: "POST", url: `${BASE}/password-check` },
  { method: "PUT", url: `${BASE}/me/password` },
  { method: "POST", url: `${BASE}/staff` },
  { method: "PATCH", url: `${BASE}/staff/stf_sam` },
  { method: "PUT", url: `${BASE}/staff/stf_sam/password` },
  { method: "PUT", url: `${BASE}/staff/stf_sam/permissions` },
  { method: "POST", url: `${BASE}/staff/stf_sam/password-reset-email` },
  { method: "POST", url: `${BASE}/staff/stf_sam/password-reset-sms` },
  { method: "PATCH", url: `${BASE}/settings` },
  { method: "POST", url: "/api/support/session" },
  { method: "POST", url: `/api/support/accounts/${SAMPLE_ACCOUNT.slug}/recovery-cases` },
  { method: "POST", url: "/api/support/recovery-cases/case_x/complete" },
  { method: "POST", url: `/api/support/accounts/${SAMPLE_ACCOUNT.slug}/sms-credits` },
];

const fieldNames = fc.constantFrom(
  "login",
  "password",
  "staySignedIn",
  "token",
  "passwordConfirmation",
  "currentPassword",
  "newPassword",
  "newPasswordConfirmation",
  "username",
  "firstName",
  "lastName",
  "email",
  "mobilePhone",
  "smsOptIn",
  "status",
  "adminFullAccess",
  "permissions",
  "mustChangeAtNextLogin",
  "passwordMinLength",
  "smsVoiceEnabled",
  "callerName",
  "answers",
  "delivery",
  "amount",
  "reason",
  "isOwner",
  "__proto__",
  "constructor",
);
const oddStrings = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\uD800",
    "a".repeat(5000),
    "' OR 1=1 --",
    "<script>",
    "../../etc/passwd",
    "%00",
    "1e309",
    "a\u0000b",
    "\uDC00x",
    "\u202Eevil\u202C",
    "\u2066x\u2069",
    "x".repeat(10_000),
  ),
);
const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    oddStrings,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fieldNames, tie("value"), { maxKeys: 3 }),
  ),
})).value;
const bodies = fc.oneof(fc.dictionary(fieldNames, values, { maxKeys: 6 }), values);

/** Percent-encodes anything, a lone surrogate too (as the bytes of its broken UTF-8 form). */
function encodeSegment(text: string): string {
  return [...text]
    .map((char) => {
      try {
        return encodeURIComponent(char);
      } catch {
        return "%ED%B0%80";
      }
    })
    .join("");
}

function assertSafe(status: number, body: string) {
  expect(status, body).toBeLessThan(500);
  for (const secret of SECRETS) expect(body).not.toContain(secret);
}

describe.each(dialects)("hostile input on %s", (dialect) => {
  let t: TestApp;
  let cookie: string;
  let supportCookie: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const { account } = await seedAccount(t);
    await insertStaffMember(t, account.id, {
      username: "sam",
      password: "front-desk-pass-1",
      email: "sam@acme.example",
    });
    cookie = sessionCookie(await signIn(t, "admin", SAMPLE_ACCOUNT.ownerPassword as string));
    await createSupportAgent(t.runtime.deps, {
      email: "ann@staffgate.example",
      name: "Ann",
      password: "granite-orchard-lamp-19",
    });
    const agent = await t.request({
      method: "POST",
      url: "/api/support/session",
      payload: { email: "ann@staffgate.example", password: "granite-orchard-lamp-19" },
    });
    supportCookie = `staffgate_support=${agent.cookies.find((c) => c.name === "staffgate_support")?.value}`;
  });
  afterAll(async () => t.close());

  it("answers a NUL anywhere with 400: login, search, ids, slugs, cursors, passwords", async () => {
    const send = (method: "GET" | "POST" | "PUT", url: string, payload?: object) =>
      t.app.inject({
        method,
        url,
        headers: { origin: ORIGIN, cookie, ...(payload ? { "content-type": "application/json" } : {}) },
        ...(payload ? { payload: JSON.stringify(payload) } : {}),
      });
    const replies = [
      await send("POST", `${BASE}/session`, { login: "ad\u0000min", password: "x" }),
      await send("POST", `${BASE}/session`, { login: "admin", password: "pass\u0000word" }),
      await send("GET", `${BASE}/staff?search=a%00b`),
      await send("GET", `${BASE}/staff?cursor=%00`),
      await send("GET", `${BASE}/staff/stf_%00sam`),
      await send("GET", `/api/accounts/acme%00swim`),
      await send("GET", `${BASE}/audit-events?action=auth.%00`),
      await send("POST", "/api/password-resets/lookup", { token: "abc\u0000" }),
      await send("POST", `${BASE}/password-resets`, { login: "\u0000" }),
      await send("PUT", `${BASE}/me/password`, {
        currentPassword: "\u0000",
        newPassword: "a",
        newPasswordConfirmation: "a",
      }),
    ];
    for (const reply of replies) {
      expect(reply.statusCode, reply.body).toBe(400);
      expect(reply.json().error.code).toBe("validation_failed");
    }
  });

  it("refuses duplicate keys, __proto__ keys and bytes that aren't UTF-8 with 400", async () => {
    const raw = (payload: string | Buffer) =>
      t.app.inject({
        method: "POST",
        url: `${BASE}/session`,
        headers: { origin: ORIGIN, "content-type": "application/json" },
        payload,
      });
    for (const payload of [
      '{"login":"admin","login":"sam","password":"x"}',
      '{"login":"admin","password":"x","nested":{"a":1,"a":2}}',
      '{"__proto__":{"isOwner":true},"login":"admin","password":"x"}',
      Buffer.from([0x7b, 0x22, 0x6c, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    ]) {
      const reply = await raw(payload);
      expect(reply.statusCode, String(payload)).toBe(400);
      expect(reply.json().error.code).toBe("validation_failed");
    }
    // Same keys at different depths are no duplicates.
    const fine = await raw('{"login":"admin","password":"not-it"}');
    expect(fine.statusCode).toBe(401);
  });

  it("answers 405 with Allow for a known path's other methods, and 415 for a body that isn't JSON", async () => {
    const wrongMethod = await t.app.inject({ method: "PATCH", url: `${BASE}/session`, headers: { origin: ORIGIN } });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.json().error.code).toBe("method_not_allowed");
    expect(wrongMethod.headers["allow"]).toBe("DELETE, POST");
    const wrongType = await t.app.inject({
      method: "POST",
      url: `${BASE}/session`,
      headers: { origin: ORIGIN, "content-type": "text/plain" },
      payload: "login=admin",
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.code).toBe("unsupported_media_type");
    expect((await t.app.inject({ method: "GET", url: "/api/no-such-thing" })).statusCode).toBe(404);
  });

  it("never answers 500 on any endpoint of the OpenAPI document, whatever its path, query and body hold", async () => {
    const document = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })),
    );
    expect(routes.length).toBeGreaterThan(30);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(oddStrings, { minLength: 3, maxLength: 3 }),
        bodies,
        fc.constantFrom(cookie, supportCookie, ""),
        async (route, segments, body, asWho) => {
          let i = 0;
          const url = route.path.replace(/\{[^}]+\}/g, () => encodeSegment(segments[i++] ?? "x"));
          const hasBody = !["GET", "HEAD", "DELETE"].includes(route.method);
          const response = await t.app.inject({
            method: route.method as "GET",
            url: `${url}?search=${encodeSegment(segments[2] ?? "")}`,
            headers: {
              origin: ORIGIN,
              ...(asWho ? { cookie: asWho } : {}),
              ...(hasBody ? { "content-type": "application/json" } : {}),
            },
            ...(hasBody ? { payload: JSON.stringify(body) } : {}),
          });
          assertSafe(response.statusCode, response.body);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never answers 500 to random JSON bodies, and errors keep the envelope", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), bodies, fc.boolean(), async (endpoint, body, withSupport) => {
        const response = await t.app.inject({
          method: endpoint.method,
          url: endpoint.url,
          headers: { origin: ORIGIN, cookie: withSupport ? supportCookie : cookie, "content-type": "application/json" },
          payload: JSON.stringify(body),
        });
        assertSafe(response.statusCode, response.body);
        if (response.statusCode >= 400) expect(response.json().error.code).toMatch(/^[a-z_]+$/);
      }),
      { numRuns: 400 },
    );
  });

  it("never answers 500 to broken JSON, wrong content types or odd query strings", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...endpoints),
        fc.string({ maxLength: 200 }),
        fc.constantFrom(
          "application/json",
          "text/plain",
          "application/x-www-form-urlencoded",
          "application/json; charset=latin1",
        ),
        async (endpoint, raw, contentType) => {
          const response = await t.app.inject({
            method: endpoint.method,
            url: endpoint.url,
            headers: { origin: ORIGIN, cookie, "content-type": contentType },
            payload: raw,
          });
          assertSafe(response.statusCode, response.body);
        },
      ),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(`${BASE}/staff`, `${BASE}/audit-events`, `${BASE}/sms-credits/ledger`, "/api/support/accounts"),
        fc.dictionary(
          fc.constantFrom("search", "status", "limit", "cursor", "action", "staffId", "from", "to"),
          oddStrings,
          { maxKeys: 4 },
        ),
        async (url, query) => {
          const search = new URLSearchParams(query as Record<string, string>).toString();
          const response = await t.app.inject({
            method: "GET",
            url: `${url}?${search}`,
            headers: { cookie: `${cookie}; ${supportCookie}` },
          });
          assertSafe(response.statusCode, response.body);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses oversized bodies with 413", async () => {
    for (const endpoint of endpoints.slice(0, 5)) {
      const response = await t.app.inject({
        method: endpoint.method,
        url: endpoint.url,
        headers: { origin: ORIGIN, "content-type": "application/json" },
        payload: JSON.stringify({ login: "x".repeat(64 * 1024) }),
      });
      expect(response.statusCode).toBe(413);
      expect(response.json().error.code).toBe("payload_too_large");
    }
  });
});
