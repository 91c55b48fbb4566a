import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/shared/hash.js";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import {
  SAMPLE_ACCOUNT,
  createTestApp,
  failuresOf,
  ownerId,
  seedAccount,
  sessionCookie,
  setFailures,
  signIn,
  type TestApp,
} from "../support/http.js";

const PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
const ME = `/api/accounts/${SAMPLE_ACCOUNT.slug}/me`;

describe.each(dialects)("sign-in and sessions on %s", (dialect) => {
  let clock: ManualClock;
  let t: TestApp;

  beforeEach(async () => {
    clock = new ManualClock();
    t = await createTestApp(dialect, { clock });
    await seedAccount(t);
  });
  afterEach(async () => t.close());

  it("shows the business behind a portal address, and 404s an unknown one", async () => {
    const found = await t.request({ method: "GET", url: "/api/accounts/acme-swim" });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual({ slug: "acme-swim", name: "Acme Swim" });
    const missing = await t.request({ method: "GET", url: "/api/accounts/nope" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe("not_found");
  });

  it("signs in by username or by primary email, case-insensitively, with a safe cookie", async () => {
    for (const login of ["admin", "ADMIN", "Olivia@Acme.example"]) {
      const response = await signIn(t, login, PASSWORD);
      expect(response.statusCode, login).toBe(200);
      const body = response.json();
      expect(body.passwordChangeRequired).toBe(false);
      expect(body.staff).toMatchObject({ username: "admin", isOwner: true, adminFullAccess: true, passwordSet: true });
      expect(JSON.stringify(body)).not.toMatch(/argon2|tidal-lantern/);
      const cookie = response.cookies.find((c) => c.name === "staffgate_session");
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
      expect(cookie?.maxAge).toBeUndefined(); // a browser-session cookie unless "Stay signed in"
      expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    }
  });

  it("answers unknown login, wrong password and inactive staff identically, each after one Argon2 verification", async () => {
    const deps = t.runtime.deps;
    await deps.db.updateTable("staff").set({ status: "inactive" }).where("username", "=", "admin").execute();
    const inactive = await signIn(t, "admin", PASSWORD);
    await deps.db.updateTable("staff").set({ status: "active" }).where("username", "=", "admin").execute();
    const wrong = await signIn(t, "admin", "not-the-password");
    const unknown = await signIn(t, "nobody", PASSWORD);
    const otherAccount = await signIn(t, "admin", PASSWORD, "missing-business");
    for (const response of [inactive, wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.body).toBe(wrong.body);
      expect(response.json().error.code).toBe("invalid_credentials");
    }
    expect(otherAccount.statusCode).toBe(404);
  });

  it("costs an unknown login one verification against a dummy hash", async () => {
    const hasher = t.runtime.deps.hasher;
    let dummyVerifications = 0;
    const original = hasher.verifyAgainstDummy.bind(hasher);
    (hasher as { verifyAgainstDummy: typeof original }).verifyAgainstDummy = async (password) => {
      dummyVerifications++;
      return original(password);
    };
    await signIn(t, "nobody", PASSWORD);
    expect(dummyVerifications).toBe(1);
  });

  it("stores only the SHA-256 of the session id, and issues a new id at every sign-in", async () => {
    const first = sessionCookie(await signIn(t, "admin", PASSWORD));
    const second = sessionCookie(await signIn(t, "admin", PASSWORD));
    expect(first).not.toBe(second);
    const rows = await t.runtime.deps.db.selectFrom("sessions").select("id_hash").execute();
    const token = first.split("=")[1] as string;
    expect(rows.map((r) => r.id_hash)).toContain(sha256Hex(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("serves /me to the session's own account only", async () => {
    const cookie = sessionCookie(await signIn(t, "admin", PASSWORD));
    const me = await t.request({ method: "GET", url: ME, cookie });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: "admin", firstName: "Olivia", lastName: "Harper" });
    expect(me.headers["cache-control"]).toBe("no-store");

    await seedAccount(t, { slug: "other-gym", name: "Other Gym", ownerEmail: "o@other.example" });
    const elsewhere = await t.request({ method: "GET", url: "/api/accounts/other-gym/me", cookie });
    expect(elsewhere.statusCode).toBe(401);
    expect(elsewhere.json().error.code).toBe("unauthenticated");
    expect((await t.request({ method: "GET", url: ME })).statusCode).toBe(401);
  });

  it("ends the session on the server at sign-out", async () => {
    const cookie = sessionCookie(await signIn(t, "admin", PASSWORD));
    const out = await t.request({ method: "DELETE", url: "/api/accounts/acme-swim/session", cookie });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === "staffgate_session")?.value).toBe("");
    expect((await t.request({ method: "GET", url: ME, cookie })).statusCode).toBe(401);
    const events = await t.runtime.deps.db.selectFrom("audit_events").select("action").execute();
    expect(events.map((e) => e.action)).toContain("auth.signed_out");
  });

  it("times out after an hour idle, measured by the server, while activity keeps it alive", async () => {
    const cookie = sessionCookie(await signIn(t, "admin", PASSWORD));
    clock.advanceSeconds(50 * 60);
    expect((await t.request({ method: "GET", url: ME, cookie })).statusCode).toBe(200);
    clock.advanceSeconds(50 * 60); // 100 minutes since sign-in, 50 since the last request
    expect((await t.request({ method: "GET", url: ME, cookie })).statusCode).toBe(200);
    clock.advanceSeconds(61 * 60);
    expect((await t.request({ method: "GET", url: ME, cookie })).statusCode).toBe(401);
    expect(await t.runtime.deps.db.selectFrom("sessions").selectAll().execute()).toHaveLength(0);
  });

  it("keeps a 'Stay signed in' session through idle hours, but not past 30 days", async () => {
    const response = await signIn(t, "admin", PASSWORD, SAMPLE_ACCOUNT.slug, true);
    expect(response.cookies.find((c) => c.name === "staffgate_session")?.maxAge).toBe(30 * 24 * 3600);
    const cookie = sessionCookie(response);
    clock.advanceSeconds(5 * 3600);
    expect((await t.request({ method: "GET", url: ME, cookie })).statusCode).toBe(200);
    clock.advanceSeconds(30 * 24 * 3600);
    expect((await t.request({ method: "GET", url: ME, cookie })).statusCode).toBe(401);
  });

  it("writes last-seen at most once a minute", async () => {
    const cookie = sessionCookie(await signIn(t, "admin", PASSWORD));
    const lastSeen = async () =>
      (await t.runtime.deps.db.selectFrom("sessions").select("last_seen_at").executeTakeFirstOrThrow()).last_seen_at;
    const start = await lastSeen();
    clock.advanceSeconds(30);
    await t.request({ method: "GET", url: ME, cookie });
    expect(await lastSeen()).toBe(start);
    clock.advanceSeconds(31);
    await t.request({ method: "GET", url: ME, cookie });
    expect(await lastSeen()).toBe(start + 61_000);
  });

  it("slows down repeated failures per login with growing delays, and lets the real user in afterwards", async () => {
    for (let i = 0; i < 4; i++) expect((await signIn(t, "admin", "wrong-password")).statusCode).toBe(401);
    expect((await signIn(t, "admin", "wrong-password")).statusCode).toBe(401); // 5th: now 1 s delay
    const throttled = await signIn(t, "admin", PASSWORD);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json().error.code).toBe("too_many_attempts");
    expect(throttled.headers["retry-after"]).toBe("1");
    clock.advanceSeconds(1);
    expect((await signIn(t, "admin", "wrong-password")).statusCode).toBe(401); // 6th: 2 s
    expect((await signIn(t, "admin", PASSWORD)).headers["retry-after"]).toBe("2");
    clock.advanceSeconds(2);
    expect((await signIn(t, "admin", PASSWORD)).statusCode).toBe(200);
    // Success starts the login afresh.
    expect((await signIn(t, "admin", "wrong-password")).statusCode).toBe(401);
    expect((await signIn(t, "admin", PASSWORD)).statusCode).toBe(200);
  });

  it("throttles one IP that sprays many logins", async () => {
    for (let i = 0; i < 20; i++) await signIn(t, `user${i}`, "wrong-password");
    await signIn(t, "user-21", "wrong-password");
    const blocked = await signIn(t, "admin", PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("stops evaluating a login after 100 consecutive failures, answering like any failure", async () => {
    await setFailures(t, `staff:${await ownerId(t)}`, 100);
    const hasher = t.runtime.deps.hasher;
    let realVerifications = 0;
    const original = hasher.verify.bind(hasher);
    (hasher as { verify: typeof original }).verify = async (hash, password) => {
      realVerifications++;
      return original(hash, password);
    };
    const response = await signIn(t, "admin", PASSWORD);
    expect(response.statusCode).toBe(401);
    expect(response.body).toBe((await signIn(t, "nobody-at-all", PASSWORD)).body);
    expect(realVerifications).toBe(0);
    const events = await t.runtime.deps.db
      .selectFrom("audit_events")
      .select("details")
      .where("action", "=", "auth.sign_in_failed")
      .execute();
    expect(events.map((e) => JSON.parse(e.details).reason)).toContain("locked");
  });

  it("evaluates parallel guesses one at a time, so the throttle counts every one", async () => {
    const replies = await Promise.all(Array.from({ length: 30 }, () => signIn(t, "admin", "parallel-guess-1")));
    const evaluated = replies.filter((r) => r.statusCode === 401).length;
    expect(evaluated).toBeLessThanOrEqual(5); // the free failures, then the delay applies
    expect(replies.filter((r) => r.statusCode === 429)).toHaveLength(30 - evaluated);
    expect(await failuresOf(t, `staff:${await ownerId(t)}`)).toBe(evaluated);
  });

  it("doesn't count a sign-in the server shed (503) as a failed attempt", async () => {
    const { DomainError } = await import("../../src/shared/errors.js");
    const hasher = t.runtime.deps.hasher as { verify: (hash: string, password: string) => Promise<unknown> };
    const original = hasher.verify;
    hasher.verify = async () => {
      throw new DomainError("overloaded", undefined, undefined, 1);
    };
    const shed = await signIn(t, "admin", PASSWORD);
    hasher.verify = original;
    expect(shed.statusCode).toBe(503);
    expect(shed.headers["retry-after"]).toBe("1");
    expect(await failuresOf(t, `staff:${await ownerId(t)}`)).toBe(0);
    expect((await signIn(t, "admin", PASSWORD)).statusCode).toBe(200);
  });

  it("refuses sign-ins at once while the hash queue is full", async () => {
    Object.defineProperty(t.runtime.deps.hasher, "saturated", { get: () => true, configurable: true });
    const response = await signIn(t, "admin", PASSWORD);
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe("overloaded");
  });

  it("slows each login as typed, so the delays don't tell that a username and an email are one person's", async () => {
    for (let i = 0; i < 5; i++) await signIn(t, "admin", "wrong-password");
    expect((await signIn(t, "admin", PASSWORD)).statusCode).toBe(429);
    const email = await signIn(t, "olivia@acme.example", "wrong-password");
    const stranger = await signIn(t, "someone@acme.example", "wrong-password");
    expect(email.statusCode).toBe(401);
    expect(email.body).toBe(stranger.body);
    // The hard cap still counts the person's failures whichever login they came through.
    expect(await failuresOf(t, `staff:${await ownerId(t)}`)).toBe(6);
  });

  it("re-hashes a password made with older Argon2 parameters at the next sign-in", async () => {
    const { createPasswordHasher } = await import("../../src/modules/credentials/index.js");
    const old = createPasswordHasher({ parameters: { memoryCostKiB: 512, timeCost: 1, parallelism: 1 } });
    await t.runtime.deps.db
      .updateTable("staff")
      .set({ password_hash: await old.hash(PASSWORD) })
      .execute();
    expect((await signIn(t, "admin", PASSWORD)).statusCode).toBe(200);
    const row = await t.runtime.deps.db.selectFrom("staff").select("password_hash").executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect((await signIn(t, "admin", PASSWORD)).statusCode).toBe(200);
  });

  it("signs in with a password typed in another Unicode normal form", async () => {
    const nfc = "Caf\u00e9-au-lait-42";
    await t.runtime.deps.db
      .updateTable("staff")
      .set({ password_hash: await t.runtime.deps.hasher.hash(nfc) })
      .execute();
    expect((await signIn(t, "admin", nfc.normalize("NFD"))).statusCode).toBe(200);
  });

  it("records successes and failures in the audit log without secrets", async () => {
    await signIn(t, "admin", "wrong-password");
    await signIn(t, "admin", PASSWORD);
    const events = await t.runtime.deps.db.selectFrom("audit_events").selectAll().orderBy("at").execute();
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["auth.sign_in_failed", "auth.signed_in"]));
    expect(JSON.stringify(events)).not.toMatch(/wrong-password|tidal-lantern/);
  });
});
