/**
 * Passkeys (API.md v2; issue 14): registration in sudo mode, listing, renaming and removal; a
 * passkey as the second step after the password, passwordless sign-in with every account rule,
 * and re-authentication — real WebAuthn ceremonies against a software authenticator
 * (test/support/webauthn.ts), on both databases.
 */
import type { LightMyRequestResponse } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import { sha256Hex } from "../../src/shared/hash.js";
import { dialects } from "../support/dialects.js";
import {
  ORIGIN,
  SAMPLE_ACCOUNT,
  createTestApp,
  deliverMessages,
  insertStaffMember,
  seedAccount,
  sessionCookie,
  signIn,
  type TestApp,
} from "../support/http.js";
import { SoftwareAuthenticator, type Lies } from "../support/webauthn.js";

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
const SAM_PASSWORD = "front-desk-pass-1";

function pendingCookie(reply: LightMyRequestResponse): string {
  const cookie = reply.cookies.find((c) => c.name.endsWith("staffgate_pending"));
  if (!cookie) throw new Error(`no pending sign-in cookie in ${reply.statusCode}: ${reply.body}`);
  return `${cookie.name}=${cookie.value}`;
}

describe.each(dialects)("passkeys on %s", (dialect) => {
  let clock: ManualClock;
  let t: TestApp;
  let accountId: string;
  let authenticator: SoftwareAuthenticator;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 11, 8, 9, 0, 0));
    t = await createTestApp(dialect, { clock });
    accountId = (await seedAccount(t)).account.id;
    await insertStaffMember(t, accountId, { username: "sam", password: SAM_PASSWORD, email: "sam@acme.example" });
    authenticator = new SoftwareAuthenticator(ORIGIN);
  });
  afterEach(async () => t.close());

  const as = (cookie: string, method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: object) =>
    t.request({ method, url, cookie, ...(payload ? { payload } : {}) });
  const errorCode = (reply: LightMyRequestResponse) => reply.json().error?.code as string | undefined;

  /** Signs Sam in (sudo mode for 10 minutes) and registers a passkey; returns the session and its id. */
  async function registerSam(name = "Sam's laptop") {
    const cookie = sessionCookie(await signIn(t, "sam", SAM_PASSWORD));
    const options = await as(cookie, "POST", `${BASE}/me/passkeys/options`, {});
    expect(options.statusCode, options.body).toBe(200);
    const created = await as(cookie, "POST", `${BASE}/me/passkeys`, {
      name,
      response: authenticator.create(options.json()),
    });
    expect(created.statusCode, created.body).toBe(201);
    return { cookie, id: created.json().id as string };
  }

  /** Passwordless: options with no cookie; the pending sign-in's cookie and the options. */
  async function passwordlessOptions(cookie?: string, staySignedIn?: boolean) {
    const reply = await t.request({
      method: "POST",
      url: `${BASE}/session/passkey-options`,
      ...(cookie ? { cookie } : {}),
      payload: staySignedIn === undefined ? {} : { staySignedIn },
    });
    expect(reply.statusCode, reply.body).toBe(200);
    return { pending: cookie ?? pendingCookie(reply), options: reply.json() };
  }

  const completeWith = (pending: string, response: object) =>
    t.request({ method: "POST", url: `${BASE}/session/passkey`, cookie: pending, payload: { response } });

  async function passkeyRow(id: string) {
    return t.runtime.deps.db.selectFrom("passkeys").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  }

  /** How the session a reply started was authenticated (RFC 8176 `amr`). */
  async function amrOf(reply: LightMyRequestResponse) {
    const token = sessionCookie(reply).split("=")[1] as string;
    const row = await t.runtime.deps.db
      .selectFrom("sessions")
      .select("amr")
      .where("id_hash", "=", sha256Hex(token))
      .executeTakeFirstOrThrow();
    return row.amr;
  }

  async function auditActions() {
    const owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
    const events = await as(owner, "GET", `${BASE}/audit-events`);
    return events.json().items as Array<{ action: string; details: Record<string, unknown> }>;
  }

  it("registers a passkey in sudo mode from options that exclude the person's passkeys; lists and renames it", async () => {
    const cookie = sessionCookie(await signIn(t, "sam", SAM_PASSWORD));
    clock.advanceSeconds(11 * 60);
    const stale = await as(cookie, "POST", `${BASE}/me/passkeys/options`, {});
    expect(stale.statusCode).toBe(401);
    expect(errorCode(stale)).toBe("reauthentication_required");
    expect((await as(cookie, "POST", `${BASE}/session/reauthenticate`, { password: SAM_PASSWORD })).statusCode).toBe(
      204,
    );

    const options = (await as(cookie, "POST", `${BASE}/me/passkeys/options`, {})).json();
    expect(options).toMatchObject({
      rp: { id: "localhost", name: "Staffgate" },
      user: { name: "sam (Acme Swim)", displayName: "Sam Rivera" },
      attestation: "none",
      excludeCredentials: [],
      authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
    });
    expect(Buffer.from(options.user.id, "base64url").toString()).toBe("stf_sam");
    expect(Buffer.from(options.challenge, "base64url")).toHaveLength(32);
    const response = authenticator.create(options);
    // The name is checked before anything is spent: a line break is refused.
    const badName = await as(cookie, "POST", `${BASE}/me/passkeys`, { name: "Laptop\nEvil", response });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.details.fields.name).toMatch(/control characters/);
    const created = await as(cookie, "POST", `${BASE}/me/passkeys`, { name: "Sam's laptop", response });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({
      id: response.id,
      name: "Sam's laptop",
      createdAt: new Date(clock.now()).toISOString(),
      lastUsedAt: null,
    });
    // The challenge was spent: the same response again is refused.
    const again = await as(cookie, "POST", `${BASE}/me/passkeys`, { name: "Twice", response });
    expect(again.statusCode).toBe(401);
    expect(errorCode(again)).toBe("invalid_second_factor");

    const next = (await as(cookie, "POST", `${BASE}/me/passkeys/options`, {})).json();
    expect(next.excludeCredentials).toEqual([{ id: response.id, type: "public-key", transports: ["internal"] }]);
    expect(() => authenticator.create(next)).toThrow(/excluded/);

    const renamed = await as(cookie, "PATCH", `${BASE}/me/passkeys/${response.id}`, { name: "  Work laptop " });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().name).toBe("Work laptop");
    expect((await as(cookie, "PATCH", `${BASE}/me/passkeys/AAAA`, { name: "x" })).statusCode).toBe(404);
    const list = await as(cookie, "GET", `${BASE}/me/passkeys`);
    expect(list.json()).toEqual({ items: [{ ...created.json(), name: "Work laptop" }] });
    expect((await as(cookie, "GET", `${BASE}/me`)).json().twoFactor).toMatchObject({ passkeys: 1 });

    await deliverMessages(t);
    const mail = t.runtime.deps.devMailbox?.list().filter((m) => m.to === "sam@acme.example");
    expect(mail?.map((m) => m.subject)).toContainEqual(expect.stringContaining("A passkey was added"));
    const actions = (await auditActions()).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["two_factor.passkey_added", "two_factor.passkey_renamed"]));
  });

  it("refuses a registration made for another origin or RP ID", async () => {
    const cookie = sessionCookie(await signIn(t, "sam", SAM_PASSWORD));
    for (const lies of [{ origin: "https://evil.example" }, { rpId: "evil.example" }, { type: "webauthn.get" }]) {
      const options = (await as(cookie, "POST", `${BASE}/me/passkeys/options`, {})).json();
      const reply = await as(cookie, "POST", `${BASE}/me/passkeys`, {
        name: "Phish",
        response: authenticator.create(options, lies),
      });
      expect(reply.statusCode, JSON.stringify(lies)).toBe(401);
      expect(errorCode(reply)).toBe("invalid_second_factor");
    }
    expect((await as(cookie, "GET", `${BASE}/me/passkeys`)).json().items).toEqual([]);
  });

  it("is the second step after the password (amr pwd,hwk), keeping the counter and the last use", async () => {
    const { id } = await registerSam();
    clock.advanceSeconds(60);
    const password = await signIn(t, "sam", SAM_PASSWORD);
    expect(password.json()).toEqual({ secondFactorRequired: true, methods: ["passkey"], enrollmentRequired: false });
    const pending = pendingCookie(password);
    const optionsReply = await as(pending, "POST", `${BASE}/session/passkey-options`, {});
    expect(optionsReply.statusCode, optionsReply.body).toBe(200);
    const options = optionsReply.json();
    expect(options).toMatchObject({ rpId: "localhost", userVerification: "preferred" });
    expect(options.allowCredentials).toEqual([{ id, type: "public-key", transports: ["internal"] }]);
    // The pending sign-in cookie is needed, and good for nothing else.
    const assertion = authenticator.get(options);
    expect(
      (await t.request({ method: "POST", url: `${BASE}/session/passkey`, payload: { response: assertion } }))
        .statusCode,
    ).toBe(401);
    expect((await as(pending, "GET", `${BASE}/me`)).statusCode).toBe(401);

    const done = await completeWith(pending, assertion);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ staff: { username: "sam" }, passwordChangeRequired: false });
    expect((await as(sessionCookie(done), "GET", `${BASE}/me`)).statusCode).toBe(200);
    expect(await amrOf(done)).toBe("pwd,hwk");
    expect((await passkeyRow(id)).counter).toBe(1);
    const [listed] = (await as(sessionCookie(done), "GET", `${BASE}/me/passkeys`)).json().items;
    expect(listed.lastUsedAt).toBe(new Date(clock.now()).toISOString());

    // The same assertion again: the pending sign-in is gone, and a new one has a new challenge.
    expect((await completeWith(pending, assertion)).statusCode).toBe(401);
    const fresh = pendingCookie(await signIn(t, "sam", SAM_PASSWORD));
    await as(fresh, "POST", `${BASE}/session/passkey-options`, {});
    const replay = await completeWith(fresh, assertion);
    expect(replay.statusCode).toBe(401);
    expect(errorCode(replay)).toBe("invalid_second_factor");
  });

  it("signs in without a password with any passkey of the person, user-verified (amr hwk)", async () => {
    const { id } = await registerSam();
    const { pending, options } = await passwordlessOptions(undefined, true);
    expect(options).toMatchObject({ rpId: "localhost", allowCredentials: [], userVerification: "required" });
    const assertion = authenticator.get(options);
    const done = await completeWith(pending, assertion);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ staff: { username: "sam" }, passwordChangeRequired: false });
    expect(done.cookies.find((c) => c.name === "staffgate_session")?.maxAge).toBe(30 * 24 * 3600);
    expect(done.cookies.find((c) => c.name === "staffgate_pending")?.value).toBe("");
    expect(await amrOf(done)).toBe("hwk");
    expect((await passkeyRow(id)).last_used_at).toBe(clock.now());

    // Replayed: the used pending sign-in is gone; in a new one the challenge doesn't match.
    expect(errorCode(await completeWith(pending, assertion))).toBe("unauthenticated");
    const next = await passwordlessOptions();
    expect(errorCode(await completeWith(next.pending, assertion))).toBe("invalid_second_factor");
    // Without user verification the passkey isn't the whole proof it must be here.
    const unverified = authenticator.get((await passwordlessOptions(next.pending)).options, {
      noUserVerification: true,
    });
    expect((await completeWith(next.pending, unverified)).statusCode).toBe(401);
    // A counter that didn't grow: a cloned authenticator.
    const cloned = authenticator.get((await passwordlessOptions(next.pending)).options, { signCount: 1 });
    expect((await completeWith(next.pending, cloned)).statusCode).toBe(401);
    const right = authenticator.get((await passwordlessOptions(next.pending)).options);
    expect((await completeWith(next.pending, right)).statusCode).toBe(200);
    // Anyone may start one, so each new one sweeps expired ones away.
    await passwordlessOptions();
    clock.advanceSeconds(6 * 60);
    await passwordlessOptions();
    const pendingRows = await t.runtime.deps.db.selectFrom("pending_sign_ins").select("expires_at").execute();
    expect(pendingRows.filter((row) => row.expires_at <= clock.now())).toEqual([]);
    expect(pendingRows).toHaveLength(1);
  });

  it("refuses another origin, another RP ID, and a passkey of another business", async () => {
    await registerSam();
    const { pending } = await passwordlessOptions();
    const lies: Lies[] = [{ origin: "https://evil.example" }, { rpId: "evil.example" }, { type: "webauthn.create" }];
    for (const lie of lies) {
      const { options } = await passwordlessOptions(pending);
      const reply = await completeWith(pending, authenticator.get(options, lie));
      expect(reply.statusCode, JSON.stringify(lie)).toBe(401);
      expect(errorCode(reply)).toBe("invalid_second_factor");
    }
    // The same site, another business: its owner's passkey means nothing here.
    await seedAccount(t, { slug: "other-swim", name: "Other Swim", ownerEmail: "owner@other.example" });
    const otherOwner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD, "other-swim"));
    const otherOptions = await as(otherOwner, "POST", `/api/accounts/other-swim/me/passkeys/options`, {});
    const otherAuthenticator = new SoftwareAuthenticator(ORIGIN);
    const registered = await as(otherOwner, "POST", `/api/accounts/other-swim/me/passkeys`, {
      name: "Owner's phone",
      response: otherAuthenticator.create(otherOptions.json()),
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const { options } = await passwordlessOptions(pending);
    const foreign = otherAuthenticator.get(options);
    expect((await completeWith(pending, foreign)).statusCode).toBe(401);
    const failed = (await auditActions()).filter((e) => e.action === "two_factor.failed");
    expect(failed.map((e) => e.details["reason"])).toContain("unknown_passkey");
    // In its own business it works.
    const home = await t.request({
      method: "POST",
      url: `/api/accounts/other-swim/session/passkey-options`,
      payload: {},
    });
    const homeDone = await t.request({
      method: "POST",
      url: `/api/accounts/other-swim/session/passkey`,
      cookie: pendingCookie(home),
      payload: { response: otherAuthenticator.get(home.json()) },
    });
    expect(homeDone.statusCode, homeDone.body).toBe(200);
    // And Sam's own passkey, told the truth, still signs in.
    const truth = await passwordlessOptions(pending);
    expect((await completeWith(pending, authenticator.get(truth.options))).statusCode).toBe(200);
  });

  it("passwordless holds the account rules: inactive refused, must-change honoured, failures throttled", async () => {
    await registerSam();
    const db = t.runtime.deps.db;
    await db.updateTable("staff").set({ status: "inactive" }).where("id", "=", "stf_sam").execute();
    const first = await passwordlessOptions();
    const inactive = await completeWith(first.pending, authenticator.get(first.options));
    expect(inactive.statusCode).toBe(401);
    expect(errorCode(inactive)).toBe("invalid_second_factor");

    await db
      .updateTable("staff")
      .set({ status: "active", must_change_password: 1 })
      .where("id", "=", "stf_sam")
      .execute();
    const second = await passwordlessOptions();
    const mustChange = await completeWith(second.pending, authenticator.get(second.options));
    expect(mustChange.statusCode, mustChange.body).toBe(200);
    expect(mustChange.json().passwordChangeRequired).toBe(true);
    const blocked = await as(sessionCookie(mustChange), "GET", `${BASE}/me/passkeys`);
    expect(errorCode(blocked)).toBe("password_change_required");

    // Growing delays per credential: a few free failures, then 429 with Retry-After.
    const third = await passwordlessOptions();
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const { options } = await passwordlessOptions(third.pending);
      const stale = authenticator.get(options, { signCount: 0 });
      const reply = await completeWith(third.pending, stale);
      statuses.push(reply.statusCode);
      if (reply.statusCode === 429) expect(Number(reply.headers["retry-after"])).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    clock.advanceSeconds(2);
    const { options } = await passwordlessOptions(third.pending);
    expect((await completeWith(third.pending, authenticator.get(options))).statusCode).toBe(200);
  });

  it("removes a passkey in sudo mode, but not the last factor while the business requires two-factor", async () => {
    const { cookie, id } = await registerSam();
    clock.advanceSeconds(11 * 60);
    expect(errorCode(await as(cookie, "DELETE", `${BASE}/me/passkeys/${id}`))).toBe("reauthentication_required");
    await as(cookie, "POST", `${BASE}/session/reauthenticate`, { password: SAM_PASSWORD });
    await t.runtime.deps.db.updateTable("accounts").set({ require_two_factor: 1 }).execute();
    const last = await as(cookie, "DELETE", `${BASE}/me/passkeys/${id}`);
    expect(last.statusCode).toBe(409);
    expect(errorCode(last)).toBe("two_factor_required");
    await t.runtime.deps.db.updateTable("accounts").set({ require_two_factor: 0 }).execute();
    expect((await as(cookie, "DELETE", `${BASE}/me/passkeys/${id}`)).statusCode).toBe(204);
    expect((await as(cookie, "DELETE", `${BASE}/me/passkeys/${id}`)).statusCode).toBe(404);
    expect((await as(cookie, "GET", `${BASE}/me/passkeys`)).json().items).toEqual([]);
    expect((await as(cookie, "GET", `${BASE}/me`)).json().twoFactor).toMatchObject({ passkeys: 0 });
    // The password alone signs in again.
    expect((await signIn(t, "sam", SAM_PASSWORD)).json().staff).toBeDefined();
    await deliverMessages(t);
    const subjects = t.runtime.deps.devMailbox
      ?.list()
      .filter((m) => m.to === "sam@acme.example")
      .map((m) => m.subject);
    expect(subjects).toContainEqual(expect.stringContaining("A passkey was removed"));
    expect((await auditActions()).map((e) => e.action)).toContain("two_factor.passkey_removed");
  });

  it("re-authenticates for sudo mode with a passkey, once", async () => {
    const { cookie, id } = await registerSam();
    clock.advanceSeconds(11 * 60);
    expect(errorCode(await as(cookie, "POST", `${BASE}/me/recovery-codes`))).toBe("reauthentication_required");
    const options = await as(cookie, "POST", `${BASE}/session/passkey-options`, {});
    expect(options.statusCode, options.body).toBe(200);
    expect(options.json().allowCredentials).toEqual([{ id, type: "public-key", transports: ["internal"] }]);
    expect(options.cookies.find((c) => c.name.endsWith("staffgate_pending"))).toBeUndefined();
    // A passkey that keeps no counter (most synced ones): only the spent challenge stops a replay.
    const assertion = authenticator.get(options.json(), { signCount: 0 });
    const done = await as(cookie, "POST", `${BASE}/session/reauthenticate`, { passkey: assertion });
    expect(done.statusCode, done.body).toBe(204);
    const codes = await as(cookie, "POST", `${BASE}/me/recovery-codes`);
    expect(codes.statusCode, codes.body).toBe(200);
    const replay = await as(cookie, "POST", `${BASE}/session/reauthenticate`, { passkey: assertion });
    expect(replay.statusCode).toBe(401);
    expect(errorCode(replay)).toBe("invalid_second_factor");
    const events = (await auditActions()).filter((e) => e.action === "auth.reauthenticated");
    expect(events.map((e) => e.details["method"])).toContain("passkey");
  });
});
