/** The queries behind the security overview: a few aggregate reads of one business. */
import { sql } from "kysely";
import type { Executor } from "../../db/database.js";

export const DAY_MS = 24 * 3600_000;

/** Active staff with what the overview shows of each. */
export async function listActiveStaff(db: Executor, accountId: string) {
  return db
    .selectFrom("staff")
    .select([
      "id",
      "first_name",
      "last_name",
      "username",
      "is_owner",
      "admin_full_access",
      "must_change_password",
      (eb) => eb.case().when("password_hash", "is", null).then(0).else(1).end().as("has_password"),
    ])
    .where("account_id", "=", accountId)
    .where("status", "=", "active")
    .orderBy("sort_key")
    .orderBy("id")
    .limit(5_000)
    .execute();
}

/** Each person's last sign-in, from the audit log. */
export async function lastSignIns(db: Executor, accountId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("audit_events")
    .select(["target_id", (eb) => eb.fn.max("at").as("last")])
    .where("account_id", "=", accountId)
    .where("action", "=", "auth.signed_in")
    .groupBy("target_id")
    .execute();
  return new Map(rows.flatMap((row) => (row.target_id ? [[row.target_id, Number(row.last)] as const] : [])));
}

/** Failed sign-ins per day (UTC day number → count) since `since`. Throttled rows count their occurrences. */
export async function failedSignInsPerDay(
  db: Executor,
  accountId: string,
  since: number,
): Promise<Map<number, number>> {
  // A literal divisor, so the SELECT and the GROUP BY are the same expression on PostgreSQL too.
  const day = sql<number>`CAST(at / ${sql.lit(DAY_MS)} AS BIGINT)`;
  const rows = await db
    .selectFrom("audit_events")
    .select([day.as("day"), (eb) => eb.fn.sum<number | string>("occurrences").as("count")])
    .where("account_id", "=", accountId)
    .where("action", "in", ["auth.sign_in_failed", "auth.sign_in_throttled", "two_factor.failed"])
    .where("at", ">=", since)
    .groupBy(day)
    .execute();
  return new Map(rows.map((row) => [Number(row.day), Number(row.count)]));
}
