/**
 * The STAFF page's list: search by name, username or email; filter by status; ordered by last
 * then first name, A to Z or Z to A, with keyset paging (a cursor names the last row seen, so
 * pages stay stable while staff are added). Each person comes with their last sign-in.
 *
 * Without a search, a page is a seek into the (account_id, sort_key, id, search_text) index. A
 * search matches anywhere in a person's names, username and email (`search_text LIKE '%term%'`),
 * which no B-tree can answer. A term of three characters or more with a rare trigram walks that
 * gram's postings (staff_search_grams, kept in list order per gram): they hold every match and,
 * for a rare term, little else. Other terms (shorter ones, or ones whose every gram nearly
 * everyone has) walk the account in list order, matching the index entries, which hold
 * `search_text`, and reading only the rows that match. Measured at 100,000 staff on SQLite: a
 * rare name 0.6 ms, "ava" 0.6 ms, "xu" (matches mid-list) 13 ms, and the worst case, a term
 * whose every gram nearly everyone has yet nobody matches, 25 ms (it was 120 ms walking a very
 * common gram's postings, and 290 ms for any rare term before the index).
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { Executor } from "../../db/database.js";
import { decodeCursor, encodeCursor } from "../../shared/cursor.js";
import { DomainError } from "../../shared/errors.js";
import { foldForSearch, searchGrams } from "../../shared/search-grams.js";
import { toStaffView, type StaffView } from "./staff.js";
import { twoFactorSummaries } from "../two-factor/index.js";
import type { StaffRow, StaffTable } from "./staff.table.js";

export interface StaffListQuery {
  readonly search?: string;
  readonly status: "active" | "inactive" | "all";
  /** By last then first name: `name` A to Z (the default), `-name` Z to A. */
  readonly sort?: StaffSort;
  readonly limit: number;
  readonly cursor?: string;
}

export type StaffSort = "name" | "-name";

/** A person on the list: as everywhere, plus when they last signed in (ISO 8601, or null). */
export interface StaffListItem extends StaffView {
  readonly lastSignedInAt: string | null;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/**
 * Choosing the rarest gram counts each gram's postings, up to a cap: first a low one, which finds
 * a rare gram cheaply (a name nobody else has), then higher ones while every gram is common. A
 * posting walked costs a staff row read (~1.5 µs on SQLite), an index entry of the account walk
 * ~0.17 µs, so past the last cap the account is the cheaper walk.
 */
const COUNT_CAPS = [64, 1_000, 10_000] as const;
/** Grams of a long term whose postings are counted (spread across the term). */
const GRAMS_COMPARED = 8;

/** LIKE treats % and _ as wildcards; a search for "50%" means the characters. */
function likePattern(folded: string): string {
  return `%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Up to `count` items of `items`, evenly spread from the first to the last. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))] as T);
}

async function postingCount(db: Executor, accountId: string, gram: string, cap: number): Promise<number> {
  const { n } = await db
    .selectFrom((eb) =>
      eb
        .selectFrom("staff_search_grams")
        .select("staff_id")
        .where("account_id", "=", accountId)
        .where("gram", "=", gram)
        .limit(cap)
        .as("postings"),
    )
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(n);
}

interface GramChoice {
  readonly gram: string;
  /** Its postings, counted up to the cap; null when there was nothing to compare. */
  readonly postings: number | null;
}

/**
 * The term's gram with the fewest postings in the account; null if the term has no gram, or if
 * every gram has so many that the account is the better walk.
 */
async function rarestGram(db: Executor, accountId: string, folded: string): Promise<GramChoice | null> {
  const grams = spread(searchGrams(folded), GRAMS_COMPARED);
  const [first] = grams;
  if (!first) return null;
  // One gram: nothing to choose between, and the walk itself stops at an empty list.
  if (grams.length === 1) return { gram: first, postings: null };
  for (const cap of COUNT_CAPS) {
    // Every gram has at least `cap` postings until one is counted below it.
    let rarest: { gram: string; postings: number } = { gram: first, postings: cap };
    for (const gram of grams) {
      // Counting stops at the rarest so far: past it, a gram can't be the one.
      const postings = await postingCount(db, accountId, gram, rarest.postings);
      if (postings < rarest.postings) rarest = { gram, postings };
      if (postings === 0) return rarest;
    }
    if (rarest.postings < cap) return rarest;
  }
  // Every gram is very common: walking the account costs less than walking any of them.
  return null;
}

/** The conditions every page has, whichever index it walks. */
function pageFilter(
  eb: ExpressionBuilder<{ s: StaffTable }, "s">,
  accountId: string,
  query: StaffListQuery,
  folded: string,
) {
  const conditions: Expression<SqlBool>[] = [eb("s.account_id", "=", accountId)];
  if (query.status !== "all") conditions.push(eb("s.status", "=", query.status));
  // ESCAPE is explicit: SQLite has no default escape character for LIKE.
  if (folded) conditions.push(sql<boolean>`s.search_text like ${likePattern(folded)} escape '\\'`);
  return eb.and(conditions);
}

/** Z to A cursors carry a third part, so that one of the other order is refused, not misread. */
function readCursor(cursor: string, descending: boolean): [string, string] {
  if (!descending) return decodeCursor<[string, string]>(cursor, ["string", "string"]);
  const [sortKey, id, order] = decodeCursor<[string, string, string]>(cursor, ["string", "string", "string"]);
  if (order !== "desc") {
    throw new DomainError("validation_failed", undefined, { fields: { cursor: "is not a cursor from this list" } });
  }
  return [sortKey, id];
}

/**
 * Each person's last sign-in, from the audit log (as the security overview reads it): one
 * grouped look-up for the page's people.
 */
async function lastSignIns(db: Executor, accountId: string, staffIds: readonly string[]): Promise<Map<string, number>> {
  if (staffIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("audit_events")
    .select(["target_id", (eb) => eb.fn.max("at").as("last")])
    .where("account_id", "=", accountId)
    .where("action", "=", "auth.signed_in")
    .where("target_id", "in", staffIds)
    .groupBy("target_id")
    .execute();
  return new Map(rows.flatMap((row) => (row.target_id ? [[row.target_id, Number(row.last)] as const] : [])));
}

export async function listStaff(db: Executor, accountId: string, query: StaffListQuery): Promise<Page<StaffListItem>> {
  const folded = foldForSearch(query.search?.trim() ?? "");
  const descending = query.sort === "-name";
  const direction = descending ? "desc" : "asc";
  const past = descending ? "<" : ">";
  const after = query.cursor ? readCursor(query.cursor, descending) : null;
  const rarest = folded ? await rarestGram(db, accountId, folded) : null;
  if (rarest?.postings === 0) return { items: [], nextCursor: null };

  // Each row with the sort key it was walked by: the cursor must follow the walk's order.
  let rows: (StaffRow & { walked_sort_key: string })[];
  if (rarest) {
    // CROSS JOIN makes SQLite walk the postings first, in their index order (PostgreSQL plans
    // the join by cost, and picks the same with a LIMIT this small).
    let select = db
      .selectFrom("staff_search_grams as g")
      .crossJoin("staff as s")
      .selectAll("s")
      .select("g.sort_key as walked_sort_key")
      .whereRef("s.id", "=", "g.staff_id")
      .where("g.account_id", "=", accountId)
      .where("g.gram", "=", rarest.gram)
      .orderBy("g.sort_key", direction)
      .orderBy("g.staff_id", direction);
    if (after) select = select.where((eb) => eb(eb.refTuple("g.sort_key", "g.staff_id"), past, eb.tuple(...after)));
    rows = await select
      .where((eb) => pageFilter(eb, accountId, query, folded))
      .limit(query.limit + 1)
      .execute();
  } else {
    let select = db
      .selectFrom("staff as s")
      .selectAll("s")
      .select("s.sort_key as walked_sort_key")
      .orderBy("s.sort_key", direction)
      .orderBy("s.id", direction);
    // A row-value comparison, so the (account_id, sort_key, id, …) index serves it: an OR of the
    // two conditions made SQLite scan the account from its first row (12× slower at 100k staff).
    if (after) select = select.where((eb) => eb(eb.refTuple("s.sort_key", "s.id"), past, eb.tuple(...after)));
    rows = await select
      .where((eb) => pageFilter(eb, accountId, query, folded))
      .limit(query.limit + 1)
      .execute();
  }
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const ids = page.map((row) => row.id);
  const twoFactor = await twoFactorSummaries(db, accountId, ids);
  const signIns = await lastSignIns(db, accountId, ids);
  const position = last ? [last.walked_sort_key, last.id, ...(descending ? ["desc"] : [])] : [];
  return {
    items: page.map((row) => {
      const signedIn = signIns.get(row.id);
      return {
        ...toStaffView(row, twoFactor.get(row.id)),
        lastSignedInAt: signedIn === undefined ? null : new Date(signedIn).toISOString(),
      };
    }),
    nextCursor: rows.length > query.limit && last ? encodeCursor(position) : null,
  };
}
