import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dialects } from "../support/dialects.js";
import {
  SAMPLE_ACCOUNT,
  createTestApp,
  deliverMessages,
  seedAccount,
  sessionCookie,
  signIn,
  type TestApp,
} from "../support/http.js";

/** What the dev mailbox received (these tests run without SMTP). */
function delivered(t: TestApp) {
  const mailbox = t.runtime.deps.devMailbox;
  if (!mailbox) throw new Error("expected the dev mailbox");
  return mailbox.list();
}

const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const ROLE_PASSWORD = "role-pass-word-8";

type Role = "owner" | "admin" | "editor" | "viewer" | "none";

describe.each(dialects)("STAFF API on %s", (dialect) => {
  let t: TestApp;
  let ownerId: string;
  const ids: Record<string, string> = {};
  const cookies: Partial<Record<Role, string>> = {};

  const as = (role: Role, method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, payload?: object) =>
    t.request({ method, url, cookie: cookies[role] as string, ...(payload ? { payload } : {}) });

  async function addStaff(username: string, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await as("owner", "POST", `${BASE}/staff`, {
      username,
      firstName: username[0]?.toUpperCase() + username.slice(1),
      lastName: "Tester",
      email: `${username}@acme.example`,
      ...extra,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id;
  }

  async function givePassword(staffId: string, password = ROLE_PASSWORD) {
    const response = await as("owner", "PUT", `${BASE}/staff/${staffId}/password`, {
      password,
      mustChangeAtNextLogin: false,
    });
    expect(response.statusCode, response.body).toBe(200);
  }

  beforeEach(async () => {
    t = await createTestApp(dialect);
    ownerId = (await seedAccount(t)).owner.id;
    cookies.owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
    const roles: Array<[Role, boolean, string[]]> = [
      ["admin", true, []],
      ["editor", false, ["staff.edit"]],
      ["viewer", false, ["staff.view"]],
      ["none", false, []],
    ];
    for (const [role, adminFullAccess, permissions] of roles) {
      ids[role] = await addStaff(`${role}user`);
      await as("owner", "PUT", `${BASE}/staff/${ids[role]}/permissions`, { adminFullAccess, permissions });
      await givePassword(ids[role] as string);
      cookies[role] = sessionCookie(await signIn(t, `${role}user`, ROLE_PASSWORD));
    }
    ids["target"] = await addStaff("target");
    await givePassword(ids["target"] as string);
  });
  afterEach(async () => t.close());

  it("enforces the authorization matrix on every endpoint", async () => {
    const target = () => `${BASE}/staff/${ids["target"]}`;
    let n = 0;
    const endpoints: Array<[string, (role: Role) => ReturnType<typeof as>, Record<Role, number>]> = [
      ["list", (r) => as(r, "GET", `${BASE}/staff`), { owner: 200, admin: 200, editor: 200, viewer: 200, none: 403 }],
      ["view", (r) => as(r, "GET", target()), { owner: 200, admin: 200, editor: 200, viewer: 200, none: 403 }],
      [
        "create",
        (r) => as(r, "POST", `${BASE}/staff`, { username: `new${n++}`, firstName: "New", lastName: "Person" }),
        { owner: 201, admin: 201, editor: 201, viewer: 403, none: 403 },
      ],
      [
        "edit",
        (r) => as(r, "PATCH", target(), { firstName: "Tara" }),
        { owner: 200, admin: 200, editor: 200, viewer: 403, none: 403 },
      ],
      [
        "set password",
        (r) => as(r, "PUT", `${target()}/password`, { password: "matrix-pass-123", mustChangeAtNextLogin: false }),
        { owner: 200, admin: 200, editor: 403, viewer: 403, none: 403 },
      ],
      [
        "permissions",
        (r) => as(r, "PUT", `${target()}/permissions`, { adminFullAccess: false, permissions: [] }),
        { owner: 200, admin: 200, editor: 403, viewer: 403, none: 403 },
      ],
      [
        "audit log",
        (r) => as(r, "GET", `${BASE}/audit-events`),
        { owner: 200, admin: 200, editor: 403, viewer: 403, none: 403 },
      ],
      [
        "settings",
        (r) => as(r, "GET", `${BASE}/settings`),
        { owner: 200, admin: 200, editor: 200, viewer: 200, none: 200 },
      ],
      [
        "change settings",
        (r) => as(r, "PATCH", `${BASE}/settings`, { passwordMinLength: 9 }),
        { owner: 200, admin: 200, editor: 403, viewer: 403, none: 403 },
      ],
    ];
    for (const [name, call, expected] of endpoints) {
      for (const role of ["owner", "admin", "editor", "viewer", "none"] as Role[]) {
        const response = await call(role);
        expect(response.statusCode, `${name} as ${role}: ${response.body}`).toBe(expected[role]);
        if (response.statusCode === 403) expect(response.json().error.code).toBe("forbidden");
      }
    }
    const permissions = await t.request({ method: "GET", url: "/api/permissions" });
    expect(permissions.json().map((p: { key: string }) => p.key)).toEqual(["staff.view", "staff.edit"]);
  });

  it("protects the owner: only the owner changes the owner, who always keeps Admin Access", async () => {
    const owner = `${BASE}/staff/${ownerId}`;
    for (const [method, url, payload] of [
      ["PUT", `${owner}/password`, { password: "take-over-pass-1" }],
      ["PUT", `${owner}/permissions`, { adminFullAccess: true, permissions: [] }],
      ["PATCH", owner, { email: "attacker@evil.example" }],
      ["PATCH", owner, { status: "inactive" }],
    ] as const) {
      const response = await as("admin", method, url, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().error.code).toBe("owner_protected");
    }
    const selfInactive = await as("owner", "PATCH", owner, { status: "inactive" });
    expect(selfInactive.json().error.code).toBe("owner_protected");
    const selfDemote = await as("owner", "PUT", `${owner}/permissions`, { adminFullAccess: false, permissions: [] });
    expect(selfDemote.json().error.code).toBe("owner_protected");
    expect((await as("owner", "PATCH", owner, { mobilePhone: "+1 415 555 0199" })).statusCode).toBe(200);
    expect((await signIn(t, "admin", OWNER_PASSWORD)).statusCode).toBe(200);
  });

  it("keeps staff.edit away from people with Admin Access", async () => {
    const response = await as("editor", "PATCH", `${BASE}/staff/${ids["admin"]}`, { email: "mine@evil.example" });
    expect(response.statusCode).toBe(403);
    const admin = await as("owner", "GET", `${BASE}/staff/${ids["admin"]}`);
    expect(admin.json().email).toBe("adminuser@acme.example");
  });

  it("keeps other people's email and mobile — where reset links go — to Admin Access, and tells the old address", async () => {
    const byEditor = await as("editor", "PATCH", `${BASE}/staff/${ids["target"]}`, {
      email: "taken-over@evil.example",
    });
    expect(byEditor.statusCode).toBe(403);
    expect(
      (await as("editor", "PATCH", `${BASE}/staff/${ids["target"]}`, { mobilePhone: "+1 415 555 0999" })).statusCode,
    ).toBe(403);
    expect(
      (await as("editor", "PATCH", `${BASE}/staff/${ids["editor"]}`, { mobilePhone: "+1 415 555 0998" })).statusCode,
    ).toBe(200);
    const byAdmin = await as("admin", "PATCH", `${BASE}/staff/${ids["target"]}`, { email: "target.new@acme.example" });
    expect(byAdmin.json().email).toBe("target.new@acme.example");
    await deliverMessages(t);
    const notices = delivered(t).filter((m) => m.subject.includes("Office Portal was changed"));
    expect(notices.map((m) => m.to)).toEqual(["target@acme.example"]);
    expect(notices[0]?.text).toContain("changed by Adminuser Tester");
  });

  it("answers 404 for another business's staff, changing nothing", async () => {
    const other = await seedAccount(t, { slug: "other-gym", name: "Other Gym", ownerEmail: "o@other.example" });
    const foreign = `${BASE}/staff/${other.owner.id}`;
    const attempts = [
      await as("owner", "GET", foreign),
      await as("owner", "PATCH", foreign, { firstName: "Hacked" }),
      await as("owner", "PUT", `${foreign}/password`, { password: "cross-tenant-pass-1" }),
      await as("owner", "PUT", `${foreign}/permissions`, { adminFullAccess: false, permissions: [] }),
      await as("owner", "GET", `/api/accounts/other-gym/staff/${other.owner.id}`),
    ];
    expect(attempts.map((r) => r.statusCode)).toEqual([404, 404, 404, 404, 401]);
    const untouched = await t.runtime.deps.db
      .selectFrom("staff")
      .selectAll()
      .where("id", "=", other.owner.id)
      .executeTakeFirstOrThrow();
    expect(untouched.first_name).toBe("Olivia");
    expect((await signIn(t, "admin", OWNER_PASSWORD, "other-gym")).statusCode).toBe(200);
  });

  it("rejects mass assignment of credential and ownership fields", async () => {
    for (const field of [
      { isOwner: true },
      { adminFullAccess: true },
      { passwordHash: "x" },
      { accountId: "acc_x" },
      { password: "x" },
    ]) {
      const response = await as("admin", "PATCH", `${BASE}/staff/${ids["target"]}`, field);
      expect(response.statusCode, JSON.stringify(field)).toBe(400);
      expect(Object.keys(response.json().error.details.fields)).toEqual(Object.keys(field));
    }
    const target = await as("owner", "GET", `${BASE}/staff/${ids["target"]}`);
    expect(target.json()).toMatchObject({ isOwner: false, adminFullAccess: false });
  });

  it("sets passwords write-only: the target must change it, is signed out and told by email", async () => {
    const targetCookie = sessionCookie(await signIn(t, "target", ROLE_PASSWORD));
    const set = await as("admin", "PUT", `${BASE}/staff/${ids["target"]}/password`, { password: "given-by-admin-42" });
    expect(set.json()).toEqual({ signedOut: false });
    expect(set.body).not.toContain("given-by-admin-42");
    expect((await t.request({ method: "GET", url: `${BASE}/me`, cookie: targetCookie })).statusCode).toBe(401);
    const login = await signIn(t, "target", "given-by-admin-42");
    expect(login.json().passwordChangeRequired).toBe(true);
    const view = await as("admin", "GET", `${BASE}/staff/${ids["target"]}`);
    expect(view.json().passwordSet).toBe(true);
    expect(JSON.stringify(view.json())).not.toMatch(/argon2|given-by-admin/);
    await deliverMessages(t);
    const emails = delivered(t).filter((m) => m.to === "target@acme.example");
    expect(emails.map((e) => e.text).filter((text) => text.includes("Adminuser Tester set it"))).toHaveLength(1);

    const weak = await as("admin", "PUT", `${BASE}/staff/${ids["target"]}/password`, { password: "Target-1234" });
    expect(weak.json().error).toMatchObject({
      code: "password_rejected",
      details: { reasons: ["contains_personal_info"] },
    });
  });

  it("signs the caller out when they set their own password on the STAFF page, which needs the current one", async () => {
    const url = `${BASE}/staff/${ids["admin"]}/password`;
    for (const currentPassword of [undefined, "not-my-password-1"]) {
      const refused = await as("admin", "PUT", url, {
        password: "my-own-new-pass-5",
        ...(currentPassword ? { currentPassword } : {}),
      });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error.code).toBe("current_password_incorrect");
    }
    expect((await signIn(t, "adminuser", ROLE_PASSWORD)).statusCode).toBe(200);
    const same = await as("admin", "PUT", url, { password: ROLE_PASSWORD, currentPassword: ROLE_PASSWORD });
    expect(same.statusCode).toBe(422);
    expect(same.json().error.details.reasons).toContain("same_as_current");
    const response = await as("admin", "PUT", url, { password: "my-own-new-pass-5", currentPassword: ROLE_PASSWORD });
    expect(response.json()).toEqual({ signedOut: true });
    expect((await as("admin", "GET", `${BASE}/me`)).statusCode).toBe(401);
    expect((await signIn(t, "adminuser", "my-own-new-pass-5")).json().passwordChangeRequired).toBe(false);
  });

  it("makes staff inactive instead of deleting them: sessions and sign-in end, and coming back needs a new password", async () => {
    const targetCookie = sessionCookie(await signIn(t, "target", ROLE_PASSWORD));
    // Removing a password is a credential change: "Add and edit staff" alone can't.
    const refused = await as("editor", "PATCH", `${BASE}/staff/${ids["target"]}`, { status: "inactive" });
    expect(refused.statusCode).toBe(403);
    expect((await t.request({ method: "GET", url: `${BASE}/me`, cookie: targetCookie })).statusCode).toBe(200);
    const off = await as("admin", "PATCH", `${BASE}/staff/${ids["target"]}`, { status: "inactive" });
    expect(off.json()).toMatchObject({ status: "inactive", passwordSet: false });
    expect((await t.request({ method: "GET", url: `${BASE}/me`, cookie: targetCookie })).statusCode).toBe(401);
    expect((await signIn(t, "target", ROLE_PASSWORD)).statusCode).toBe(401);
    // Coming back brings the person's rights back: Admin Access too.
    expect((await as("editor", "PATCH", `${BASE}/staff/${ids["target"]}`, { status: "active" })).statusCode).toBe(403);
    expect((await as("admin", "PATCH", `${BASE}/staff/${ids["target"]}`, { status: "active" })).statusCode).toBe(200);
    expect((await signIn(t, "target", ROLE_PASSWORD)).statusCode).toBe(401);
    await givePassword(ids["target"] as string, "welcome-back-77");
    expect((await signIn(t, "target", "welcome-back-77")).statusCode).toBe(200);
    const actions = (await as("owner", "GET", `${BASE}/audit-events?action=staff.status_changed`)).json().items;
    expect(actions).toHaveLength(2);
  });

  it("applies permission changes at once: a gain or a loss ends the person's sessions", async () => {
    expect((await as("viewer", "GET", `${BASE}/staff`)).statusCode).toBe(200);
    await as("owner", "PUT", `${BASE}/staff/${ids["none"]}/permissions`, {
      adminFullAccess: false,
      permissions: ["staff.view"],
    });
    // A session from before a grant never carries the new rights: it ends.
    expect((await as("none", "GET", `${BASE}/staff`)).statusCode).toBe(401);
    cookies.none = sessionCookie(await signIn(t, "noneuser", ROLE_PASSWORD));
    expect((await as("none", "GET", `${BASE}/staff`)).statusCode).toBe(200);
    await as("owner", "PUT", `${BASE}/staff/${ids["viewer"]}/permissions`, { adminFullAccess: false, permissions: [] });
    expect((await as("viewer", "GET", `${BASE}/staff`)).statusCode).toBe(401);
    const unknown = await as("owner", "PUT", `${BASE}/staff/${ids["viewer"]}/permissions`, {
      adminFullAccess: false,
      permissions: ["staff.delete"],
    });
    expect(unknown.statusCode).toBe(400);
  });

  it("lists with search, status filter and stable cursor paging", async () => {
    for (const name of ["alice", "bob", "carol", "dave", "erin"]) await addStaff(name);
    await as("owner", "PATCH", `${BASE}/staff/${ids["target"]}`, { status: "inactive" });

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await as("viewer", "GET", `${BASE}/staff?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.statusCode).toBe(200);
      pages.push(...page.json().items.map((s: { username: string }) => s.username));
      cursor = page.json().nextCursor;
    } while (cursor);
    const all = (await as("viewer", "GET", `${BASE}/staff?limit=200`))
      .json()
      .items.map((s: { username: string }) => s.username);
    expect(pages).toEqual(all);
    expect(all).not.toContain("target");
    expect(all).toHaveLength(10); // owner, 4 roles, 5 new

    const inactive = (await as("viewer", "GET", `${BASE}/staff?status=inactive`)).json().items;
    expect(inactive.map((s: { username: string }) => s.username)).toEqual(["target"]);
    const search = (await as("viewer", "GET", `${BASE}/staff?search=CAROL@acme`)).json().items;
    expect(search.map((s: { username: string }) => s.username)).toEqual(["carol"]);
    const wildcard = (await as("viewer", "GET", `${BASE}/staff?search=%25`)).json().items;
    expect(wildcard).toEqual([]);
    expect((await as("viewer", "GET", `${BASE}/staff?cursor=garbage`)).statusCode).toBe(400);
    expect((await as("viewer", "GET", `${BASE}/staff?limit=500`)).statusCode).toBe(400);
  });

  it("refuses duplicate usernames and emails, case-insensitively", async () => {
    const dup = await as("owner", "POST", `${BASE}/staff`, { username: "TARGET", firstName: "T", lastName: "X" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.fields).toEqual({ username: "already in use" });
    const dupEmail = await as("owner", "PATCH", `${BASE}/staff/${ids["none"]}`, { email: "Target@Acme.example" });
    expect(dupEmail.statusCode).toBe(409);
    expect(dupEmail.json().error.details.fields).toEqual({ email: "already in use" });
    const bad = await as("owner", "POST", `${BASE}/staff`, {
      username: "a b",
      firstName: " ",
      lastName: "X",
      email: "nope",
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.details.fields).sort()).toEqual(["email", "firstName", "username"]);
  });

  it("tells the story in the audit log, filterable and paged", async () => {
    await as("admin", "PATCH", `${BASE}/staff/${ids["target"]}`, { firstName: "Tina" });
    const events = (await as("owner", "GET", `${BASE}/audit-events?staffId=${ids["target"]}`)).json().items;
    expect(events[0]).toMatchObject({
      action: "staff.updated",
      source: "office_portal",
      actor: { type: "staff", id: ids["admin"], name: "Adminuser Tester" },
      target: { type: "staff", id: ids["target"] },
      details: { changes: { first_name: { from: "Target", to: "Tina" } } },
    });
    const page1 = (await as("owner", "GET", `${BASE}/audit-events?limit=5`)).json();
    const page2 = (await as("owner", "GET", `${BASE}/audit-events?limit=5&cursor=${page1.nextCursor}`)).json();
    expect(page1.items).toHaveLength(5);
    expect(page2.items[0].at <= page1.items[4].at).toBe(true);
    expect(new Set([...page1.items, ...page2.items].map((e: { id: string }) => e.id)).size).toBe(10);
    const future = (await as("owner", "GET", `${BASE}/audit-events?from=2999-01-01T00:00:00Z`)).json().items;
    expect(future).toEqual([]);
    const all = JSON.stringify((await as("owner", "GET", `${BASE}/audit-events?limit=200`)).json());
    expect(all).not.toMatch(/role-pass-word-8|matrix-pass|argon2/);
  });
});
