/**
 * Hostile input: property-based requests against every endpoint. Whatever arrives — wrong
 * types, unknown fields, huge or odd strings, broken JSON, odd query strings — the answer is
 * never a 500, always the JSON error envelope, and never contains a secret.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSupportAgent } from "../../src/modules/support/index.js";
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

let t: TestApp;
let cookie: string;
let supportCookie: string;

beforeAll(async () => {
  t = await createTestApp("sqlite");
  const { account } = await seedAccount(t);
  await insertStaffMember(t, account.id, { username: "sam", password: "front-desk-pass-1", email: "sam@acme.example" });
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

function assertSafe(status: number, body: string) {
  expect(status, body).toBeLessThan(500);
  for (const secret of SECRETS) expect(body).not.toContain(secret);
}

describe("hostile input", () => {
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
