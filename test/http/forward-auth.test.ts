/**
 * Forward auth (API.md v2, `GET /api/auth/verify`; docs/forward-auth.md): what a reverse proxy
 * is told about the browser behind each request — and, above all, when it is told "no".
 */
import type { LightMyRequestResponse } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import {
  ORIGIN,
  SAMPLE_ACCOUNT,
  createTestApp,
  insertStaffMember,
  ownerId,
  seedAccount,
  sessionCookie,
  signIn,
  type TestApp,
} from "../support/http.js";

const VERIFY = "/api/auth/verify";
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
const SAM_PASSWORD = "front-desk-pass-1";
const IDENTITY_HEADERS = [
  "x-staffgate-account",
  "x-staffgate-staff-id",
  "x-staffgate-username",
  "x-staffgate-permissions",
];

/** What a client might send hoping the proxy or the app takes its word for it. */
const FORGED = {
  "x-staffgate-account": "other-gym",
  "x-staffgate-staff-id": "stf_forged",
  "x-staffgate-username": "forged",
  "x-staffgate-permissions": "admin",
};

function expectNo(reply: LightMyRequestResponse): void {
  expect(reply.statusCode, reply.body).toBe(401);
  expect(reply.json().error.code).toBe("unauthenticated");
  for (const header of IDENTITY_HEADERS) expect(reply.headers[header], header).toBeUndefined();
  expect(reply.headers["set-cookie"]).toBeUndefined();
  expect(reply.headers["cache-control"]).toBe("no-store");
}

describe.each(dialects)("forward auth on %s", (dialect) => {
  let clock: ManualClock;
  let t: TestApp;
  let accountId: string;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 11, 8, 9, 0, 0));
    t = await createTestApp(dialect, { clock });
    accountId = (await seedAccount(t)).account.id;
  });
  afterEach(async () => t.close());

  const verify = (cookie?: string, query = "", headers: Record<string, string> = {}, method: "GET" | "HEAD" = "GET") =>
    t.request({ method, url: `${VERIFY}${query}`, headers, ...(cookie ? { cookie } : {}) });

  async function signedIn(login: string, password: string): Promise<string> {
    return sessionCookie(await signIn(t, login, password));
  }

  it("answers 200 with who is signed in, uncached, without setting or refreshing any cookie", async () => {
    const cookie = await signedIn("admin", OWNER_PASSWORD);
    const reply = await verify(cookie);
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.body).toBe("");
    expect(reply.headers["x-staffgate-account"]).toBe("acme-swim");
    expect(reply.headers["x-staffgate-staff-id"]).toBe(await ownerId(t));
    expect(reply.headers["x-staffgate-username"]).toBe("admin");
    // The owner has Admin Access: `admin`, then every permission it implies.
    expect(reply.headers["x-staffgate-permissions"]).toBe("admin,staff.view,staff.edit");
    expect(reply.headers["cache-control"]).toBe("no-store");
    expect(reply.headers["set-cookie"]).toBeUndefined();
    expect(JSON.stringify(reply.headers)).not.toContain(cookie.split("=")[1]);

    const head = await verify(cookie, "", {}, "HEAD");
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers["x-staffgate-permissions"]).toBe("admin,staff.view,staff.edit");
    expect(head.headers["set-cookie"]).toBeUndefined();
  });

  it("says no without a cookie, with a made-up one, or with a cookie of another name", async () => {
    expectNo(await verify());
    expectNo(await verify("staffgate_session=not-a-session"));
    expectNo(await verify("staffgate_session="));
    expectNo(await verify(`staffgate_session=${"A".repeat(43)}`));
    const cookie = await signedIn("admin", OWNER_PASSWORD);
    // The right value under another name (the support console's realm, say) is no session.
    expectNo(await verify(cookie.replace("staffgate_session=", "staffgate_support=")));
    expectNo(await verify(`x${cookie}`));
    const head = await verify(undefined, "", {}, "HEAD");
    expect(head.statusCode).toBe(401);
    expect(head.headers["x-staffgate-account"]).toBeUndefined();
  });

  it("says no once the session is signed out, idle for an hour, or past its absolute end however busy", async () => {
    const signedOut = await signedIn("admin", OWNER_PASSWORD);
    const out = await t.request({ method: "DELETE", url: `/api/accounts/acme-swim/session`, cookie: signedOut });
    expect(out.statusCode).toBe(204);
    expectNo(await verify(signedOut));

    const idle = await signedIn("admin", OWNER_PASSWORD);
    clock.advanceSeconds(61 * 60);
    expectNo(await verify(idle));

    // A proxy asks on every request; that is the person's activity, but it never moves the
    // 12-hour end of an ordinary session.
    const busy = await signedIn("admin", OWNER_PASSWORD);
    for (let minutes = 50; minutes < 12 * 60; minutes += 50) {
      clock.advanceSeconds(50 * 60);
      expect((await verify(busy)).statusCode, `after ${minutes} minutes`).toBe(200);
    }
    clock.advanceSeconds(50 * 60);
    expectNo(await verify(busy));
    const left = await t.runtime.deps.db.selectFrom("sessions").select("id_hash").execute();
    expect(left).toEqual([]); // the expired session is gone, not merely refused
  });

  it("writes last-seen at most once a minute, however often the proxy asks", async () => {
    const cookie = await signedIn("admin", OWNER_PASSWORD);
    const lastSeen = async () =>
      (await t.runtime.deps.db.selectFrom("sessions").select("last_seen_at").executeTakeFirstOrThrow()).last_seen_at;
    const signedInAt = await lastSeen();
    clock.advanceSeconds(30);
    for (let i = 0; i < 5; i++) expect((await verify(cookie)).statusCode).toBe(200);
    expect(await lastSeen()).toBe(signedInAt);
    clock.advanceSeconds(31);
    expect((await verify(cookie)).statusCode).toBe(200);
    expect(await lastSeen()).toBe(clock.now());
  });

  it("says no to a sign-in still waiting for its second step", async () => {
    await insertStaffMember(t, accountId, { username: "sam", password: SAM_PASSWORD });
    await t.runtime.deps.db.updateTable("accounts").set({ require_two_factor: 1 }).execute();
    const reply = await signIn(t, "sam", SAM_PASSWORD);
    expect(reply.json()).toMatchObject({ secondFactorRequired: true });
    expect(reply.cookies.find((c) => c.name === "staffgate_session")).toBeUndefined();
    const pending = reply.cookies.find((c) => c.name === "staffgate_pending");
    expect(pending?.value).toBeTruthy();
    expectNo(await verify(`staffgate_pending=${pending?.value}`));
    // Nor does the pending id pass for a session id under the session cookie's name.
    expectNo(await verify(`staffgate_session=${pending?.value}`));
  });

  it("says no while a password change is due, and to an inactive person", async () => {
    const sam = await insertStaffMember(t, accountId, { username: "sam", password: SAM_PASSWORD });
    const cookie = await signedIn("sam", SAM_PASSWORD);
    expect((await verify(cookie)).statusCode).toBe(200);
    const db = t.runtime.deps.db;
    await db.updateTable("staff").set({ must_change_password: 1 }).where("id", "=", sam).execute();
    expectNo(await verify(cookie));
    await db.updateTable("staff").set({ must_change_password: 0, status: "inactive" }).where("id", "=", sam).execute();
    expectNo(await verify(cookie));
    await db.updateTable("staff").set({ status: "active" }).where("id", "=", sam).execute();
    expect((await verify(cookie)).statusCode).toBe(200);
  });

  it("lists a person's own permissions, in catalogue order, and only known ones", async () => {
    await insertStaffMember(t, accountId, {
      username: "sam",
      password: SAM_PASSWORD,
      permissions: ["staff.edit", "billing.refund", "staff.view"],
    });
    await insertStaffMember(t, accountId, { username: "pat", password: SAM_PASSWORD });
    await insertStaffMember(t, accountId, { username: "alex", password: SAM_PASSWORD, adminFullAccess: true });
    const sam = await verify(await signedIn("sam", SAM_PASSWORD));
    expect(sam.headers["x-staffgate-permissions"]).toBe("staff.view,staff.edit");
    expect(sam.headers["x-staffgate-username"]).toBe("sam");
    expect(sam.headers["x-staffgate-staff-id"]).toBe("stf_sam");
    const pat = await verify(await signedIn("pat", SAM_PASSWORD));
    expect(pat.statusCode).toBe(200);
    expect(pat.headers["x-staffgate-permissions"]).toBe("");
    const alex = await verify(await signedIn("alex", SAM_PASSWORD));
    expect(alex.headers["x-staffgate-permissions"]).toBe("admin,staff.view,staff.edit");
  });

  it("percent-encodes a username that isn't ASCII, so every proxy passes it on intact", async () => {
    await insertStaffMember(t, accountId, { username: "анна.josé", password: SAM_PASSWORD });
    const reply = await verify(await signedIn("анна.josé", SAM_PASSWORD));
    expect(reply.statusCode, reply.body).toBe(200);
    const header = reply.headers["x-staffgate-username"] as string;
    expect(header).toMatch(/^[\x21-\x7e]+$/);
    expect(decodeURIComponent(header)).toBe("анна.josé");
  });

  it("never echoes X-Staffgate-* headers the client sent, signed in or not", async () => {
    expectNo(await verify(undefined, "", FORGED));
    await insertStaffMember(t, accountId, { username: "pat", password: SAM_PASSWORD });
    const reply = await verify(await signedIn("pat", SAM_PASSWORD), "", FORGED);
    expect(reply.statusCode).toBe(200);
    expect(reply.headers).toMatchObject({
      "x-staffgate-account": "acme-swim",
      "x-staffgate-staff-id": "stf_pat",
      "x-staffgate-username": "pat",
      "x-staffgate-permissions": "",
    });
  });

  it("with ?account= requires a session of that business: another business's session is no", async () => {
    await seedAccount(t, { slug: "other-gym", name: "Other Gym", ownerEmail: "o@other.example" });
    const cookie = await signedIn("admin", OWNER_PASSWORD);
    expect((await verify(cookie, "?account=acme-swim")).headers["x-staffgate-account"]).toBe("acme-swim");
    expectNo(await verify(cookie, "?account=other-gym"));
    expectNo(await verify(cookie, "?account=no-such-business"));
    // The query's business wins over anything a client claims in headers.
    expectNo(await verify(cookie, "?account=other-gym", { "x-staffgate-account": "acme-swim" }));
    // An unknown query field (the app's own, which some proxies keep) changes nothing.
    expect((await verify(cookie, "?account=acme-swim&page=2")).statusCode).toBe(200);
  });

  it("with ?redirect=true answers 302 to the business's sign-in page on PUBLIC_URL, never elsewhere", async () => {
    await seedAccount(t, { slug: "other-gym", name: "Other Gym", ownerEmail: "o@other.example" });
    const cookie = await signedIn("admin", OWNER_PASSWORD);
    const elsewhere = await verify(cookie, "?account=other-gym&redirect=true", { host: "evil.example" });
    expect(elsewhere.statusCode).toBe(302);
    expect(elsewhere.headers.location).toBe(`${ORIGIN}/a/other-gym/login`);
    expect(elsewhere.headers["x-staffgate-account"]).toBeUndefined();
    expect(elsewhere.headers["cache-control"]).toBe("no-store");
    expect((await verify(cookie, "?account=acme-swim&redirect=true")).statusCode).toBe(200);

    for (const query of [
      "?redirect=true",
      "?account=//evil.example&redirect=true",
      "?account=ACME&redirect=true",
      "?account=acme-swim/../x&redirect=true",
      "?account=acme-swim&redirect=https://evil.example",
    ]) {
      const refused = await verify(undefined, query);
      expect(refused.statusCode, query).toBe(400);
      expect(refused.headers.location, query).toBeUndefined();
    }
  });

  it("takes GET and HEAD only, and is in the OpenAPI document", async () => {
    const cookie = await signedIn("admin", OWNER_PASSWORD);
    const post = await t.request({ method: "POST", url: VERIFY, cookie, payload: {} });
    expect(post.statusCode).not.toBe(200);
    expect(post.headers["x-staffgate-account"]).toBeUndefined();
    const openapi = (await t.request({ method: "GET", url: "/api/openapi.json" })).json();
    const operation = openapi.paths["/api/auth/verify"].get;
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["200", "401"]));
    expect(Object.keys(operation.responses["200"].headers)).toEqual(
      expect.arrayContaining([
        "X-Staffgate-Account",
        "X-Staffgate-Staff-Id",
        "X-Staffgate-Username",
        "X-Staffgate-Permissions",
      ]),
    );
  });
});
