/**
 * The STAFF search against its definition: a page lists the people whose search text contains
 * the term, in list order, whichever index the query walks (the trigram postings for terms of
 * three characters or more, the account's name index for shorter ones). Checked on both
 * databases over generated names that share many trigrams, plus renames and the migration's
 * backfill.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRuntime, dialects, type TestRuntime } from "../../../test/support/dialects.js";
import * as searchGramsMigration from "../../db/migrations/0006_staff_search_grams.js";
import { foldForSearch, searchGrams } from "../../shared/search-grams.js";
import { createAccount } from "../accounts/index.js";
import { listStaff, type StaffListQuery } from "./staff-directory.js";
import { updateStaffDetails } from "./manage-staff.js";
import { insertStaff, rebuildSearchIndex, updateStaff } from "./staff.repository.js";
import { derivedColumns, type StaffView } from "./staff.js";

// Few syllables, so that trigrams repeat across people the way real names do.
const SYLLABLES = ["an", "na", "ava", "el", "lé", "o", "zo", "ë", "ø", "kim", "xu", "per", "har", "Ma", "ß"];
const DOMAINS = ["gym.example", "swim.example", "ava.example"];

interface Person {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly inactive: boolean;
}

const name = fc
  .array(fc.constantFrom(...SYLLABLES), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join(""))
  .map((joined) => joined.charAt(0).toUpperCase() + joined.slice(1));
const person: fc.Arbitrary<Person> = fc
  .record({
    firstName: name,
    lastName: fc.oneof(
      name,
      fc.tuple(name, name).map(([a, b]) => `${a}-${b}`),
    ),
    email: fc.option(fc.constantFrom(...DOMAINS)),
    inactive: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  })
  .map((p) => ({ ...p, email: p.email && `${p.firstName}.${p.lastName}@${p.email}`.toLowerCase() }));

const PEOPLE = fc.sample(person, { seed: 8, numRuns: 150 });

describe.each(dialects)("staff search on %s", (dialect) => {
  let runtime: TestRuntime;
  let accountId: string;
  /** The person the rename test renamed. */
  let renamed = "";

  async function seedAccount(slug: string): Promise<string> {
    const { account } = await createAccount(runtime.deps, {
      slug,
      name: `Search ${slug}`,
      ownerFirstName: "Olivia",
      ownerLastName: "Harper",
      ownerEmail: `olivia@${slug}.example`,
      ownerPassword: "tidal-lantern-91",
    });
    const now = runtime.deps.clock.now();
    await runtime.deps.db.transaction().execute(async (tx) => {
      for (const [i, p] of PEOPLE.entries()) {
        const id = `stf_${slug}_${i}`;
        await insertStaff(tx, {
          id,
          accountId: account.id,
          username: `u${i}_${p.firstName}`,
          firstName: p.firstName,
          lastName: p.lastName,
          email: p.email,
          mobilePhone: null,
          smsOptIn: false,
          isOwner: false,
          adminFullAccess: false,
          permissions: [],
          passwordHash: null,
          mustChangePassword: false,
          now,
        });
        if (p.inactive) await updateStaff(tx, account.id, id, { status: "inactive" });
      }
    });
    return account.id;
  }

  async function listAll(query: Omit<StaffListQuery, "limit" | "cursor">, limit = 4): Promise<StaffView[]> {
    const items: StaffView[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 500; pages++) {
      const page = await listStaff(runtime.deps.db, accountId, { ...query, limit, ...(cursor ? { cursor } : {}) });
      items.push(...page.items);
      if (!page.nextCursor) return items;
      cursor = page.nextCursor;
    }
    throw new Error("listStaff never reached the last page");
  }

  async function searchTexts(): Promise<Map<string, string>> {
    const rows = await runtime.deps.db
      .selectFrom("staff")
      .select(["id", "search_text"])
      .where("account_id", "=", accountId)
      .execute();
    return new Map(rows.map((row) => [row.id, row.search_text]));
  }

  beforeAll(async () => {
    runtime = await createTestRuntime(dialect);
    accountId = await seedAccount("searched");
    // Another business with the same people: none of them may ever show up.
    await seedAccount("neighbour");
  });
  afterAll(async () => runtime.close());

  /** The definition: everyone listed (in list order) whose search text contains the folded term. */
  async function expected(term: string, status: StaffListQuery["status"]): Promise<string[]> {
    const folded = foldForSearch(term.trim());
    const texts = await searchTexts();
    return (await listAll({ status: "all" }, 200))
      .filter((view) => (status === "all" || view.status === status) && texts.get(view.id)?.includes(folded))
      .map((view) => view.id);
  }

  const someText = fc.constantFrom(...PEOPLE.map((p) => `${p.firstName} ${p.lastName} ${p.email ?? ""}`));
  const term = fc.oneof(
    // A piece of somebody's names or email, from one character to several words.
    fc.tuple(someText, fc.nat(), fc.integer({ min: 1, max: 14 })).map(([text, start, length]) =>
      Array.from(text)
        .slice(start % text.length)
        .slice(0, length)
        .join(""),
    ),
    fc
      .array(fc.constantFrom(...SYLLABLES, ".", "-", "@", " ", "%", "_"), { minLength: 1, maxLength: 5 })
      .map((p) => p.join("")),
    fc.string({ maxLength: 6 }),
  );

  it("lists exactly the people whose names, username or email contain the term, in list order", async () => {
    expect((await listAll({ status: "all" }, 200)).length).toBe(PEOPLE.length + 1);
    await fc.assert(
      fc.asyncProperty(term, fc.constantFrom("all", "active", "inactive" as const), async (search, status) => {
        fc.pre(search.trim() !== "");
        const found = await listAll({ search, status });
        expect(found.map((s) => s.id)).toEqual(await expected(search, status));
      }),
      { numRuns: dialect === "sqlite" ? 300 : 150, seed: 27 },
    );
  });

  /** The person's rows in the index are exactly those of their current text and sort key. */
  async function expectIndexed(staffId: string): Promise<void> {
    const db = runtime.deps.db;
    const row = await db
      .selectFrom("staff")
      .select(["search_text", "sort_key"])
      .where("id", "=", staffId)
      .executeTakeFirstOrThrow();
    const grams = await db
      .selectFrom("staff_search_grams")
      .select(["gram", "sort_key"])
      .where("staff_id", "=", staffId)
      .execute();
    expect(grams.map((g) => `${g.gram}|${g.sort_key}`).sort()).toEqual(
      searchGrams(row.search_text)
        .map((gram) => `${gram}|${row.sort_key}`)
        .sort(),
    );
  }

  /** Edits a person's details as the Business Owner, through the application. */
  async function editAsOwner(staffId: string, patch: { firstName?: string; lastName?: string }) {
    const owner = await runtime.deps.db
      .selectFrom("staff")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("is_owner", "=", 1)
      .executeTakeFirstOrThrow();
    return updateStaffDetails(
      runtime.deps,
      { staff: { ...owner, has_password: 1 }, ip: null, recentlyAuthenticated: true },
      staffId,
      patch,
    );
  }

  it("finds a renamed person by the new name only, and keeps the index to their current grams", async () => {
    const target = (await listAll({ status: "active" }, 200)).find((view) => !view.isOwner);
    if (!target) throw new Error("no active person to rename");
    renamed = target.id;
    await editAsOwner(target.id, { firstName: "Quintessa", lastName: "Wolfram" });

    expect((await listAll({ search: "quintess", status: "all" })).map((s) => s.id)).toEqual([target.id]);
    expect((await listAll({ search: "Wolfram", status: "active" })).map((s) => s.id)).toEqual([target.id]);
    await expectIndexed(target.id);
  });

  it("matches without regard to accents, marks or case, on either side", async () => {
    const target = (await listAll({ status: "active" }, 200)).filter((view) => !view.isOwner).at(1);
    if (!target) throw new Error("no one to rename");
    await editAsOwner(target.id, { firstName: "Zoë", lastName: "Ångström" });
    for (const term of ["zoe angstrom", "ZOË ÅNGSTRÖM", "Angstrom", "ångström"]) {
      expect((await listAll({ search: term, status: "all" })).map((s) => s.id)).toEqual([target.id]);
    }
    await expectIndexed(target.id);
  });

  it("keeps the index right when one person is renamed by several requests at once", async () => {
    const target = (await listAll({ status: "active" }, 200)).filter((view) => !view.isOwner).at(-1);
    if (!target) throw new Error("no one to rename");
    const names = ["Rosalind", "Bartholomew", "Genevieve", "Maximilian", "Cordelia", "Thaddeus"];
    await Promise.all(names.map((name) => editAsOwner(target.id, { firstName: name, lastName: name })));
    await expectIndexed(target.id);
  });

  it("stays usable after writes that did not keep the index (an older node), until an edit or a rebuild repairs it", async () => {
    const db = runtime.deps.db;
    const [first, second] = (await listAll({ status: "active" }, 200)).filter(
      (view) => !view.isOwner && view.id !== renamed,
    );
    if (!first || !second) throw new Error("not enough people");
    // What a node without the index writes: the staff row alone, the old grams left behind. One
    // moves to the top of the list and one to the bottom, while their stale rows keep the old
    // places: a cursor taken from the wrong sort key would repeat or skip people.
    // (Older versions also kept accents in the search text.)
    const renameLikeAnOlderNode = async (staffId: string, lastName: string) => {
      const row = await db.selectFrom("staff").selectAll().where("id", "=", staffId).executeTakeFirstOrThrow();
      const renamed = { ...row, last_name: lastName };
      await updateStaff(db, accountId, staffId, {
        last_name: lastName,
        ...derivedColumns(renamed),
        search_text: [renamed.first_name, lastName, renamed.username, renamed.email ?? ""]
          .join(" ")
          .normalize("NFC")
          .toLocaleLowerCase("en-US"),
      });
    };
    await renameLikeAnOlderNode(first.id, "Aardvark");
    await renameLikeAnOlderNode(second.id, "Zzÿzx");

    // Meanwhile: the new names aren't found yet, and stale rows never show anyone twice, show
    // anyone who doesn't match, drop anyone else, or keep a client paging forever.
    expect(await listAll({ search: "aardvark", status: "all" })).toEqual([]);
    for (const term of [first.firstName, second.firstName, first.email ?? "", "an", "ava", "example"]) {
      const found = (await listAll({ search: term, status: "all" }, 1)).map((s) => s.id);
      expect(new Set(found).size).toBe(found.length);
      const matching = await expected(term, "all");
      expect(found.filter((id) => !matching.includes(id))).toEqual([]);
      expect(matching.filter((id) => !found.includes(id) && id !== first.id && id !== second.id)).toEqual([]);
    }

    // An edit through this version replaces all of that person's rows, stale ones included.
    await editAsOwner(first.id, { lastName: "Zebedee" });
    await expectIndexed(first.id);
    expect((await listAll({ search: "zebedee", status: "all" })).map((s) => s.id)).toEqual([first.id]);

    // search:reindex repairs everyone else.
    expect(await rebuildSearchIndex(db, accountId)).toBe(PEOPLE.length + 1);
    await expectIndexed(second.id);
    expect((await listAll({ search: "zzyzx", status: "all" })).map((s) => s.id)).toEqual([second.id]);
    for (const term of [second.lastName, "an", "ava", "example"]) {
      expect((await listAll({ search: term, status: "all" }, 3)).map((s) => s.id)).toEqual(await expected(term, "all"));
    }
  });

  it("rebuilds without losing an edit made at the same time", async () => {
    const db = runtime.deps.db;
    const people = (await listAll({ status: "active" }, 200)).filter((view) => !view.isOwner).slice(0, 6);
    await Promise.all([
      rebuildSearchIndex(db, accountId),
      ...people.map((person, i) => editAsOwner(person.id, { lastName: `Concurrent${i}` })),
      rebuildSearchIndex(db, accountId),
    ]);
    for (const person of people) await expectIndexed(person.id);
    expect((await listAll({ search: "concurrent", status: "all" })).length).toBe(people.length);
  });

  it("builds the index for staff who were there before the migration, even when run again after a crash", async () => {
    const db = runtime.deps.db;
    // A search text as versions before the index wrote it: accents kept. The migration redoes it.
    const [someone] = (await listAll({ status: "active" }, 200)).filter((view) => !view.isOwner);
    if (!someone) throw new Error("no one");
    await editAsOwner(someone.id, { firstName: "Zoë" });
    const folded = await db
      .selectFrom("staff")
      .select("search_text")
      .where("id", "=", someone.id)
      .executeTakeFirstOrThrow();
    await updateStaff(db, accountId, someone.id, { search_text: folded.search_text.replace("zoe", "zoë") });
    const all = () => db.selectFrom("staff_search_grams").selectAll().orderBy("staff_id").orderBy("gram").execute();
    const before = await all();
    await searchGramsMigration.down(db);
    await searchGramsMigration.up(db);
    expect(await all()).toEqual(before);
    expect(
      await db.selectFrom("staff").select("search_text").where("id", "=", someone.id).executeTakeFirstOrThrow(),
    ).toEqual(folded);
    expect((await listAll({ search: "zoe", status: "all" })).map((s) => s.id)).toContain(someone.id);
    // Run again over part of its own work, it ends in the same place.
    await db
      .deleteFrom("staff_search_grams")
      .where("staff_id", "=", before[0]?.staff_id ?? "")
      .execute();
    await searchGramsMigration.up(db);
    expect(await all()).toEqual(before);
    expect(before.length).toBeGreaterThan(PEOPLE.length * 2);
  });
});
