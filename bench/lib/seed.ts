/**
 * Large databases, fast: staff and accounts written straight through the repositories in
 * batched transactions, with no Argon2 work (staff get no password; extra accounts' owners all
 * share one precomputed hash). Staff go through `insertStaff`, so their derived columns
 * (sort_key, search_text, the normalised login) are exactly what the application writes.
 */
import { performance } from "node:perf_hooks";
import type { Insertable, Kysely } from "kysely";
import type { Database } from "../../src/db/database.js";
import type { AccountsTable } from "../../src/modules/accounts/accounts.table.js";
import { OWNER_USERNAME, insertStaff } from "../../src/modules/staff/index.js";
import { cryptoRandom, newId } from "../../src/shared/random.js";

/** Rows per transaction: large enough that commits are rare, small enough to stay bounded. */
const STAFF_PER_TRANSACTION = 5_000;
/** Accounts per multi-row INSERT (13 columns each, well under SQLite's 32,766 parameters). */
const ACCOUNTS_PER_INSERT = 500;

// prettier-ignore
const FIRST_NAMES = [
  "Ava", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Henry", "Isla", "Jack",
  "Kira", "Liam", "Maya", "Noah", "Olive", "Paul", "Quinn", "Ruby", "Sam", "Tara",
  "Uma", "Victor", "Willa", "Xavier", "Yara", "Zane", "Amir", "Bea", "Carlos", "Dina",
  "Eli", "Farah", "Gus", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Mateo", "Nia",
] as const;

// prettier-ignore
const LAST_NAMES = [
  "Adams", "Baker", "Castillo", "Dubois", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jensen",
  "Kowalski", "Lopez", "Murphy", "Nguyen", "Okafor", "Patel", "Quinn", "Rossi", "Silva", "Tanaka",
  "Ueda", "Vargas", "Walsh", "Xu", "Young", "Zimmer", "Abbott", "Brennan", "Cho", "Diaz",
  "Eriksen", "Flores", "Greene", "Haddad", "Ibrahim", "Jovanovic", "Kim", "Larsen", "Moreau", "Novak",
  "Olsen", "Park", "Reyes", "Sato", "Torres", "Usman", "Varga", "Wong", "Yilmaz", "Zhang",
] as const;

export interface SeededStaff {
  readonly count: number;
  readonly seconds: number;
}

/**
 * `count` active staff members in one account, named from small lists (so that names repeat,
 * as they do) and made unique by their username and email. The list is ordered by last name,
 * so each first name is spread evenly through it: a search for one (`COMMON_SEARCH`) finds a
 * page of matches after reading about `limit × FIRST_NAMES.length` rows, at any size.
 */
export async function seedStaff(db: Kysely<Database>, accountId: string, count: number): Promise<SeededStaff> {
  const started = performance.now();
  const now = Date.now();
  for (let start = 0; start < count; start += STAFF_PER_TRANSACTION) {
    const end = Math.min(count, start + STAFF_PER_TRANSACTION);
    await db.transaction().execute(async (tx) => {
      for (let i = start; i < end; i++) {
        const firstName = FIRST_NAMES[i % FIRST_NAMES.length] ?? "Alex";
        const lastName = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length] ?? "Smith";
        const username = `${firstName}.${lastName}.${i}`.toLowerCase();
        await insertStaff(tx, {
          id: newId(cryptoRandom, "stf"),
          accountId,
          username,
          firstName,
          lastName,
          email: `${username}@staff.example`,
          mobilePhone: null,
          smsOptIn: false,
          isOwner: false,
          adminFullAccess: false,
          permissions: [],
          passwordHash: null,
          mustChangePassword: false,
          now,
        });
      }
    });
  }
  return { count, seconds: (performance.now() - started) / 1000 };
}

/** A search that matches one seeded staff member in `FIRST_NAMES.length` (no other name contains it). */
export const COMMON_SEARCH = { term: "ava", share: 1 / FIRST_NAMES.length } as const;

/**
 * One staff member whose name nobody else in the account shares, for a search that matches a
 * single person (without the search index, the list would read the whole account to know there
 * is no other).
 */
export async function seedUniqueStaff(db: Kysely<Database>, accountId: string): Promise<string> {
  const lastName = "Quillfeather";
  await insertStaff(db, {
    id: newId(cryptoRandom, "stf"),
    accountId,
    username: "unique.person",
    firstName: "Odile",
    lastName,
    email: "odile@staff.example",
    mobilePhone: null,
    smsOptIn: false,
    isOwner: false,
    adminFullAccess: false,
    permissions: [],
    passwordHash: null,
    mustChangePassword: false,
    now: Date.now(),
  });
  return lastName.toLowerCase();
}

export interface SeededAccounts {
  readonly count: number;
  readonly seconds: number;
}

/**
 * `count` more accounts, each with its owner (`admin`), all owners sharing `ownerPasswordHash`.
 * Slugs are `tenant-<n>`.
 */
export async function seedAccounts(
  db: Kysely<Database>,
  count: number,
  ownerPasswordHash: string,
): Promise<SeededAccounts> {
  const started = performance.now();
  const now = Date.now();
  for (let start = 0; start < count; start += ACCOUNTS_PER_INSERT) {
    const end = Math.min(count, start + ACCOUNTS_PER_INSERT);
    const accounts: Insertable<AccountsTable>[] = [];
    for (let i = start; i < end; i++) {
      accounts.push({
        id: newId(cryptoRandom, "acc"),
        slug: `tenant-${i}`,
        name: `Tenant ${i}`,
        owner_full_name: `Owner ${i}`,
        billing_postal_code: null,
        card_last4: null,
        business_phone: null,
        created_at: now,
        updated_at: now,
      });
    }
    await db.transaction().execute(async (tx) => {
      await tx.insertInto("accounts").values(accounts).execute();
      for (const [offset, account] of accounts.entries()) {
        await insertStaff(tx, {
          id: newId(cryptoRandom, "stf"),
          accountId: account.id,
          username: OWNER_USERNAME,
          firstName: "Owner",
          lastName: `${start + offset}`,
          email: `owner-${start + offset}@tenant.example`,
          mobilePhone: null,
          smsOptIn: false,
          isOwner: true,
          adminFullAccess: true,
          permissions: [],
          passwordHash: ownerPasswordHash,
          mustChangePassword: false,
          now,
        });
      }
    });
  }
  return { count, seconds: (performance.now() - started) / 1000 };
}
