/**
 * The STAFF page's list: search by name, username or email; filter by status; ordered by last
 * then first name, with keyset paging (a cursor names the last row seen, so pages stay stable
 * while staff are added).
 *
 * Without a search, a page is a seek into the (account_id, sort_key, id) index. A search matches
 * anywhere in a person's names, username and email (`search_text LIKE '%term%'`), which no B-tree
 * can answer; walking the whole account in list order would cost a read of every row when few
 * people match. So a term of three characters or more walks instead the postings of its rarest
 * trigram (staff_search_grams, kept in list order per gram): they hold every match and, for a
 * rare term, little else. Shorter terms are common enough that walking the account finds a page
 * of matches quickly.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { Executor } from "../../db/database.js";
import { decodeCursor, encodeCursor } from "../../shared/cursor.js";
import { foldForSearch, searchGrams } from "../../shared/search-grams.js";
import { toStaffView, type StaffView } from "./staff.js";
import type { StaffRow, StaffTable } from "./staff.table.js";

export interface StaffListQuery {
  readonly search?: string;
  readonly status: "active" | "inactive" | "all";
  readonly limit: number;
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** Postings counted per gram when choosing the rarest: enough to tell rare from common. */
const GRAM_COUNT_CAP = 1_000;
/** Grams of a long term whose postings are counted (spread across the term). */
const GRAMS_COMPARED = 8;
/** A gram this rare is good enough: counting the others would cost more than it saves. */
const RARE_ENOUGH = 64;

/** LIKE treats % and _ as wildcards; a search for "50%" means the characters. */
function likePattern(folded: string): string {
  return `%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Up to `count` items of `items`, evenly spread from the first to the last. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))] as T);
}

async function postingCount(db: Executor, accountId: string, gram: string): Promise<number> {
  const { n } = await db
    .selectFrom((eb) =>
      eb
        .selectFrom("staff_search_grams")
        .select("staff_id")
        .where("account_id", "=", accountId)
        .where("gram", "=", gram)
        .limit(GRAM_COUNT_CAP)
        .as("postings"),
    )
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * The term's gram with the fewest postings in the account (counted up to GRAM_COUNT_CAP), or null
 * if the term has no gram.
 */
async function rarestGram(
  db: Executor,
  accountId: string,
  folded: string,
): Promise<{ gram: string; postings: number } | null> {
  const grams = spread(searchGrams(folded), GRAMS_COMPARED);
  // One gram: nothing to choose between, and the walk itself stops at an empty list.
  if (grams.length === 1 && grams[0]) return { gram: grams[0], postings: Infinity };
  let rarest: { gram: string; postings: number } | null = null;
  for (const gram of grams) {
    const postings = await postingCount(db, accountId, gram);
    if (!rarest || postings < rarest.postings) rarest = { gram, postings };
    if (postings <= RARE_ENOUGH) break;
  }
  return rarest;
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

export async function listStaff(db: Executor, accountId: string, query: StaffListQuery): Promise<Page<StaffView>> {
  const folded = foldForSearch(query.search?.trim() ?? "");
  const after = query.cursor ? decodeCursor<[string, string]>(query.cursor, ["string", "string"]) : null;
  const rarest = folded ? await rarestGram(db, accountId, folded) : null;
  if (rarest?.postings === 0) return { items: [], nextCursor: null };

  let rows: StaffRow[];
  if (rarest) {
    // CROSS JOIN makes SQLite walk the postings first, in their index order (PostgreSQL plans
    // the join by cost, and picks the same with a LIMIT this small).
    let select = db
      .selectFrom("staff_search_grams as g")
      .crossJoin("staff as s")
      .selectAll("s")
      .whereRef("s.id", "=", "g.staff_id")
      .where("g.account_id", "=", accountId)
      .where("g.gram", "=", rarest.gram)
      .orderBy("g.sort_key")
      .orderBy("g.staff_id");
    if (after) select = select.where((eb) => eb(eb.refTuple("g.sort_key", "g.staff_id"), ">", eb.tuple(...after)));
    rows = await select
      .where((eb) => pageFilter(eb, accountId, query, folded))
      .limit(query.limit + 1)
      .execute();
  } else {
    let select = db.selectFrom("staff as s").selectAll("s").orderBy("s.sort_key").orderBy("s.id");
    // A row-value comparison, so the (account_id, sort_key, id) index serves it: an OR of the
    // two conditions made SQLite scan the account from its first row (12× slower at 100k staff).
    if (after) select = select.where((eb) => eb(eb.refTuple("s.sort_key", "s.id"), ">", eb.tuple(...after)));
    rows = await select
      .where((eb) => pageFilter(eb, accountId, query, folded))
      .limit(query.limit + 1)
      .execute();
  }
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toStaffView),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.sort_key, last.id]) : null,
  };
}
