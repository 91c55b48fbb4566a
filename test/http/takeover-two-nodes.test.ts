/**
 * Issue 12 on two app nodes sharing one database and Redis: sudo mode, re-authentication
 * throttles, the hard lock and expiry agree across nodes — even when one node's clock is minutes
 * slow (every node corrects its clock to the database's).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dialects, redisTestUrl } from "../support/dialects.js";
import {
  SAMPLE_ACCOUNT,
  createTestApp,
  failuresOf,
  insertStaffMember,
  ownerId,
  seedAccount,
  sessionCookie,
  setFailures,
  signIn,
  type TestApp,
} from "../support/http.js";

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
const MINUTE = 60_000;

describe.skipIf(!redisTestUrl).each(dialects)("takeover paths on two nodes on %s", (dialect) => {
  let a: TestApp;
  let b: TestApp;

  beforeEach(async () => {
    const env = { REDIS_URL: redisTestUrl as string };
    a = await createTestApp(dialect, { env });
    // Node B's machine clock is 5 minutes slow.
    b = await createTestApp(dialect, {
      env,
      joinDatabaseOf: a.runtime,
      machineClock: { now: () => Date.now() - 5 * MINUTE },
    });
    const { account } = await seedAccount(a);
    await insertStaffMember(a, account.id, {
      username: "sam",
      password: "front-desk-pass-1",
      email: "sam@acme.example",
    });
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  const ageSessions = (minutes: number) =>
    a.runtime.deps.db
      .updateTable("sessions")
      .set((eb) => ({ authenticated_at: eb("authenticated_at", "-", minutes * MINUTE) }))
      .execute();

  it("a re-authentication on one node is sudo mode on the other, and ends after 10 minutes on both", async () => {
    const owner = sessionCookie(await signIn(a, "admin", OWNER_PASSWORD));
    await ageSessions(11);
    const grant = (node: TestApp, permissions = ["staff.view"]) =>
      node.request({
        method: "PUT",
        url: `${BASE}/staff/stf_sam/permissions`,
        cookie: owner,
        payload: { adminFullAccess: false, permissions },
      });
    // Node B's slow clock would think the sign-in 6 minutes old; it uses the database's clock.
    expect((await grant(b)).json().error.code).toBe("reauthentication_required");
    const reauth = await a.request({
      method: "POST",
      url: `${BASE}/session/reauthenticate`,
      cookie: owner,
      payload: { password: OWNER_PASSWORD },
    });
    expect(reauth.statusCode).toBe(204);
    expect((await grant(b)).statusCode).toBe(200);
    await ageSessions(10);
    expect((await grant(a, ["staff.view", "staff.edit"])).json().error.code).toBe("reauthentication_required");
  });

  it("re-authentication failures on either node count toward one delay and one hard lock", async () => {
    const owner = sessionCookie(await signIn(a, "admin", OWNER_PASSWORD));
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const node = i % 2 === 0 ? a : b;
      const reply = await node.request({
        method: "POST",
        url: `${BASE}/session/reauthenticate`,
        cookie: owner,
        payload: { password: `wrong-guess-${i}` },
      });
      statuses.push(reply.statusCode);
    }
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429]);
    expect(await failuresOf(a, `staff:${await ownerId(a)}`)).toBe(5);
    await setFailures(a, `staff:${await ownerId(a)}`, 100);
    await a.runtime.deps.loginThrottle.clear(`staff:${await ownerId(a)}`);
    const locked = await b.request({
      method: "PUT",
      url: `${BASE}/me/password`,
      cookie: owner,
      payload: {
        currentPassword: OWNER_PASSWORD,
        newPassword: "harbour-compass-77",
        newPasswordConfirmation: "harbour-compass-77",
      },
    });
    expect(locked.statusCode).toBe(429);
  });

  it("a session past its end by the database's clock is refused by the slow node", async () => {
    const owner = sessionCookie(await signIn(a, "admin", OWNER_PASSWORD));
    expect((await b.request({ method: "GET", url: `${BASE}/me`, cookie: owner })).statusCode).toBe(200);
    await a.runtime.deps.db
      .updateTable("sessions")
      .set({ expires_at: Date.now() - MINUTE })
      .execute();
    expect((await b.request({ method: "GET", url: `${BASE}/me`, cookie: owner })).statusCode).toBe(401);
  });
});
