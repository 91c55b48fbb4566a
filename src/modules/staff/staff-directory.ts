/**
 * The STAFF page's list: search by name, username or email; filter by status; ordered by last
 * then first name, with keyset paging (a cursor names the last row seen, so pages stay stable
 * while staff are added).
 */
import { sql } from "kysely";
import type { Executor } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";
import { toStaffView, type StaffView } from "./staff.js";

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

function encodeCursor(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id]), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === "string")) {
      return value as [string, string];
    }
  } catch {
    // fall through
  }
  throw new DomainError("validation_failed", undefined, { fields: { cursor: "is not a cursor from this list" } });
}

/** LIKE treats % and _ as wildcards; a search for "50%" means the characters. */
function likePattern(search: string): string {
  return `%${search
    .normalize("NFC")
    .toLocaleLowerCase("en-US")
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listStaff(db: Executor, accountId: string, query: StaffListQuery): Promise<Page<StaffView>> {
  let select = db
    .selectFrom("staff")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("sort_key")
    .orderBy("id")
    .limit(query.limit + 1);
  if (query.status !== "all") select = select.where("status", "=", query.status);
  const search = query.search?.trim();
  // ESCAPE is explicit: SQLite has no default escape character for LIKE.
  if (search) select = select.where(sql<boolean>`search_text like ${likePattern(search)} escape '\\'`);
  if (query.cursor) {
    const [sortKey, id] = decodeCursor(query.cursor);
    select = select.where((eb) =>
      eb.or([eb("sort_key", ">", sortKey), eb.and([eb("sort_key", "=", sortKey), eb("id", ">", id)])]),
    );
  }
  const rows = await select.execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toStaffView),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.sort_key, last.id) : null,
  };
}
