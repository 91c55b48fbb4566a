/**
 * The database's clock: the one clock every node shares. Token, session and throttle expiry are
 * computed on a node's clock corrected to it (shared/clock.ts, SyncedClock), so a node whose clock
 * is off can't accept a link that has expired (or refuse one that hasn't).
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "./database.js";

export async function databaseNowMs(db: Kysely<Database>, dialect: "sqlite" | "postgres"): Promise<number> {
  const query =
    dialect === "postgres"
      ? sql<{ now: number }>`SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT) AS now`
      : sql<{ now: number }>`SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) AS now`;
  const { rows } = await query.execute(db);
  return Number(rows[0]?.now);
}
