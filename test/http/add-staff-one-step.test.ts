// "Add staff" in one step (issue 16): the person with a first password and permissions, each part
// under its own endpoint's rule (Admin Access, sudo mode), all in one transaction, audited as the
// separate steps are. And the STAFF list's "must change password", "last signed in" and order.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dialects } from "../support/dialects.js";
import {
  SAMPLE_ACCOUNT,
  createTestApp,
  deliverMessages,
  insertStaffMember,
  seedAccount,
  sessionCookie,
  signIn,
  type TestApp,
} from "../support/http.js";

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
const EDITOR_PASSWORD = "front-desk-editor-4";
const SAM_PASSWORD = "pool-lane-whistle-73";

const SAM = { username: "sam", firstName: "Sam", lastName: "Rivera", email: "sam@acme.example" };

describe.each(dialects)("adding staff in one step on %s", (dialect) => {
  let t: TestApp;
  let accountId: string;
  let owner: string;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    accountId = (await seedAccount(t)).account.id;
    owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
  });
  afterEach(async () => t.close());

  const add = (cookie: string, body: Record<string, unknown>) =>
    t.request({ method: "POST", url: `${BASE}/staff`, cookie, payload: body });

  const ageSessions = (minutes: number) =>
    t.runtime.deps.db
      .updateTable("sessions")
      .set({ authenticated_at: t.runtime.deps.clock.now() - minutes * 60_000 })
      .execute();

  async function staffNamed(username: string) {
    return t.runtime.deps.db
      .selectFrom("staff")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("username", "=", username)
      .executeTakeFirst();
  }

  async function actions() {
    const rows = await t.runtime.deps.db
      .selectFrom("audit_events")
      .select(["action", "target_id", "details"])
      .where("account_id", "=", accountId)
      .where("action", "in", ["staff.created", "staff.permissions_changed", "password.changed"])
      .orderBy("at")
      .execute();
    return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
  }

  it("adds the person with a password they must change and their permissions, audited as three steps", async () => {
    const response = await add(owner, {
      ...SAM,
      password: SAM_PASSWORD,
      adminFullAccess: false,
      permissions: ["staff.view"],
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      username: "sam",
      passwordSet: true,
      mustChangePassword: true,
      adminFullAccess: false,
      permissions: ["staff.view"],
    });
    expect(JSON.stringify(response.json())).not.toContain(SAM_PASSWORD);
    const id = response.json().id as string;
    expect((await actions()).map((event) => [event.action, event.target_id])).toEqual([
      ["staff.created", id],
      ["staff.permissions_changed", id],
      ["password.changed", id],
    ]);
    expect((await actions())[2]?.details).toMatchObject({ method: "admin", mustChangeAtNextLogin: true });

    const login = await signIn(t, "sam", SAM_PASSWORD);
    expect(login.statusCode).toBe(200);
    expect(login.json().passwordChangeRequired).toBe(true);
    await deliverMessages(t);
    const mail = t.runtime.deps.devMailbox?.list().find((entry) => entry.to === SAM.email);
    expect(mail?.text ?? "").not.toContain(SAM_PASSWORD);
  });

  it("refuses a password or permissions from someone without Admin Access, and adds nobody", async () => {
    await insertStaffMember(t, accountId, {
      username: "editor",
      password: EDITOR_PASSWORD,
      permissions: ["staff.view", "staff.edit"],
    });
    const editor = sessionCookie(await signIn(t, "editor", EDITOR_PASSWORD));
    for (const extra of [
      { password: SAM_PASSWORD },
      { adminFullAccess: true, permissions: [] },
      { adminFullAccess: false, permissions: ["staff.view"] },
      // Even "no permissions" is a permissions change only Admin Access makes.
      { adminFullAccess: false, permissions: [] },
    ]) {
      const response = await add(editor, { ...SAM, ...extra });
      expect(response.statusCode, JSON.stringify(extra)).toBe(403);
      expect(response.json().error.code).toBe("forbidden");
    }
    expect(await staffNamed("sam")).toBeUndefined();
    expect(await actions()).toEqual([]);
    // The plain addition stays theirs to make.
    expect((await add(editor, SAM)).statusCode).toBe(201);
  });

  it("asks for sudo mode before setting a password or granting anything, and adds nobody meanwhile", async () => {
    await ageSessions(11);
    for (const extra of [
      { password: SAM_PASSWORD },
      { adminFullAccess: true, permissions: [] },
      { adminFullAccess: false, permissions: ["staff.edit"] },
    ]) {
      const response = await add(owner, { ...SAM, ...extra });
      expect(response.statusCode, JSON.stringify(extra)).toBe(401);
      expect(response.json().error.code).toBe("reauthentication_required");
    }
    expect(await staffNamed("sam")).toBeUndefined();
    // Without a grant or a password, an old sign-in is enough, as for the plain addition.
    const plain = await add(owner, { ...SAM, adminFullAccess: false, permissions: [] });
    expect(plain.statusCode).toBe(201);
  });

  it("leaves no half-made person when the password is refused or the username is taken", async () => {
    const weak = await add(owner, { ...SAM, password: "password123", permissions: ["staff.view"] });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().error).toMatchObject({ code: "password_rejected", details: { reasons: ["common_password"] } });
    const personal = await add(owner, { ...SAM, password: "SamRivera-2024", permissions: ["staff.view"] });
    expect(personal.json().error.details.reasons).toEqual(["contains_personal_info"]);
    const unknown = await add(owner, { ...SAM, password: SAM_PASSWORD, permissions: ["staff.delete_everyone"] });
    expect(unknown.statusCode).toBe(400);
    expect(await staffNamed("sam")).toBeUndefined();

    expect((await add(owner, SAM)).statusCode).toBe(201);
    const taken = await add(owner, {
      ...SAM,
      email: "other@acme.example",
      password: SAM_PASSWORD,
      adminFullAccess: true,
    });
    expect(taken.statusCode).toBe(409);
    const sam = await staffNamed("sam");
    expect(sam?.password_hash).toBeNull();
    expect(sam?.admin_full_access).toBe(0);
    expect((await actions()).map((event) => event.action)).toEqual(["staff.created"]);
  });

  it("takes mustChangeAtNextLogin only with a password, and lets the admin turn it off", async () => {
    const alone = await add(owner, { ...SAM, mustChangeAtNextLogin: false });
    expect(alone.statusCode).toBe(400);
    expect(await staffNamed("sam")).toBeUndefined();
    const chosen = await add(owner, { ...SAM, password: SAM_PASSWORD, mustChangeAtNextLogin: false });
    expect(chosen.json()).toMatchObject({ passwordSet: true, mustChangePassword: false });
    expect((await signIn(t, "sam", SAM_PASSWORD)).json().passwordChangeRequired).toBe(false);
  });

  it("lists each person's 'must change password', last sign-in, in either order, with paging", async () => {
    for (const [username, lastName] of [
      ["ana", "Abbott"],
      ["bo", "Baker"],
      ["cy", "Cole"],
    ]) {
      const response = await add(owner, {
        username,
        firstName: "Pat",
        lastName,
        password: "harbour-lantern-quay-5",
      });
      expect(response.statusCode, response.body).toBe(201);
    }
    await signIn(t, "bo", "harbour-lantern-quay-5");
    const list = (query: string) => t.request({ method: "GET", url: `${BASE}/staff?${query}`, cookie: owner });

    const ascending = (await list("limit=2")).json();
    expect(ascending.items.map((item: { lastName: string }) => item.lastName)).toEqual(["Abbott", "Baker"]);
    expect(ascending.items[0]).toMatchObject({ mustChangePassword: true, lastSignedInAt: null });
    // Bo signed in a moment ago.
    expect(Math.abs(Date.parse(ascending.items[1].lastSignedInAt) - t.runtime.deps.clock.now())).toBeLessThan(60_000);

    const first = (await list("sort=-name&limit=2")).json();
    expect(first.items.map((item: { lastName: string }) => item.lastName)).toEqual(["Harper", "Cole"]);
    expect(first.items[0]).toMatchObject({ isOwner: true, mustChangePassword: false });
    expect(first.items[0].lastSignedInAt).not.toBeNull();
    const second = (await list(`sort=-name&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((item: { lastName: string }) => item.lastName)).toEqual(["Baker", "Abbott"]);
    expect(second.nextCursor).toBeNull();

    // A search walks the same order (the trigram postings, backwards).
    const searched = (await list("search=pat&sort=-name")).json();
    expect(searched.items.map((item: { lastName: string }) => item.lastName)).toEqual(["Cole", "Baker", "Abbott"]);

    // A cursor of one order is refused in the other, not misread.
    const mixed = await list(`sort=name&cursor=${first.nextCursor}`);
    expect(mixed.statusCode).toBe(400);
    expect((await list(`sort=-name&cursor=${ascending.nextCursor}`)).statusCode).toBe(400);
    expect((await list("sort=lastSignedIn")).statusCode).toBe(400);
  });
});
