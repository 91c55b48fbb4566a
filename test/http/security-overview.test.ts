/** The security overview (issue 14): what an owner sees of the business's sign-in security. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { totpCode } from "../../src/modules/two-factor/index.js";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import {
  SAMPLE_ACCOUNT,
  createTestApp,
  insertStaffMember,
  seedAccount,
  sessionCookie,
  signIn,
  type TestApp,
} from "../support/http.js";

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;

describe.each(dialects)("security overview on %s", (dialect) => {
  let clock: ManualClock;
  let t: TestApp;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 11, 8, 12, 0, 0));
    t = await createTestApp(dialect, { clock });
    const { account } = await seedAccount(t);
    await insertStaffMember(t, account.id, { username: "sam", password: "front-desk-pass-1" });
    await insertStaffMember(t, account.id, {
      username: "viewer",
      password: "front-desk-pass-1",
      permissions: ["staff.view"],
    });
    await insertStaffMember(t, account.id, { username: "alex", password: "front-desk-pass-1", adminFullAccess: true });
    await t.runtime.deps.db
      .updateTable("staff")
      .set({ must_change_password: 1 })
      .where("username", "=", "alex")
      .execute();
  });
  afterEach(async () => t.close());

  it("shows Admin Access, two-step sign-in, forced changes, last sign-ins and failed sign-ins per day", async () => {
    const sam = sessionCookie(await signIn(t, "sam", "front-desk-pass-1"));
    const enrol = (await t.request({ method: "POST", url: `${BASE}/me/totp`, cookie: sam, payload: {} })).json();
    await t.request({
      method: "PUT",
      url: `${BASE}/me/totp`,
      cookie: sam,
      payload: { totpCode: totpCode(enrol.secret.replace(/\s/g, ""), clock.now()) },
    });
    for (let i = 0; i < 3; i++) await signIn(t, "sam", `wrong-${i}`);
    clock.advanceSeconds(24 * 3600);
    await signIn(t, "viewer", "wrong-x");
    const owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));

    const overview = (await t.request({ method: "GET", url: `${BASE}/security-overview`, cookie: owner })).json();
    expect(overview.totals).toEqual({
      active: 4,
      adminAccess: 2,
      withTwoFactor: 1,
      mustChangePassword: 1,
      neverSignedIn: 2,
    });
    const byName = Object.fromEntries(overview.people.map((p: { username: string }) => [p.username, p]));
    expect(byName.sam).toMatchObject({
      twoFactor: { totp: true, recoveryCodesLeft: 10 },
      lastSignedInAt: "2026-12-08T12:00:00.000Z",
    });
    expect(byName.alex).toMatchObject({ adminFullAccess: true, mustChangePassword: true, lastSignedInAt: null });
    expect(byName.admin).toMatchObject({ isOwner: true, adminFullAccess: true });
    expect(overview.failedSignInsPerDay).toHaveLength(30);
    expect(overview.failedSignInsPerDay.at(-1)).toEqual({ date: "2026-12-09", count: 1 });
    expect(overview.failedSignInsPerDay.at(-2)).toEqual({ date: "2026-12-08", count: 3 });
    expect(overview.failedSignInsPerDay[0].date).toBe("2026-11-10");
  });

  it("is for Admin Access only", async () => {
    const viewer = sessionCookie(await signIn(t, "viewer", "front-desk-pass-1"));
    expect((await t.request({ method: "GET", url: `${BASE}/security-overview`, cookie: viewer })).statusCode).toBe(403);
  });
});
