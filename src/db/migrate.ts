import { Migrator, type Migration, type MigrationProvider } from "kysely/migration";
import type { Kysely } from "kysely";
import * as m0001 from "./migrations/0001_foundation.js";
import * as m0002 from "./migrations/0002_outbox_and_reset_tokens.js";
import * as m0003 from "./migrations/0003_staff_directory.js";
import * as m0004 from "./migrations/0004_sms_credits_and_idempotency.js";
import * as m0005 from "./migrations/0005_vendor_support.js";
import * as m0006 from "./migrations/0006_staff_search_grams.js";
import * as m0007 from "./migrations/0007_takeover_paths.js";
import * as m0008 from "./migrations/0008_sms_safety.js";
import * as m0009 from "./migrations/0009_two_factor.js";
import * as m0010 from "./migrations/0010_username_skeletons.js";
import * as m0011 from "./migrations/0011_support_two_factor.js";
import * as m0012 from "./migrations/0012_identity_provider.js";
import * as m0013 from "./migrations/0013_support_supervisor.js";

/** Migrations are listed here, in order, and never edited once released. */
const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_outbox_and_reset_tokens": m0002,
  "0003_staff_directory": m0003,
  "0004_sms_credits_and_idempotency": m0004,
  "0005_vendor_support": m0005,
  "0006_staff_search_grams": m0006,
  "0007_takeover_paths": m0007,
  "0008_sms_safety": m0008,
  "0009_two_factor": m0009,
  "0010_username_skeletons": m0010,
  "0011_support_two_factor": m0011,
  "0012_identity_provider": m0012,
  "0013_support_supervisor": m0013,
};

export const MIGRATION_NAMES = Object.keys(migrations);

export interface MigrationReport {
  applied: string[];
}

export async function migrateToLatest(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any>
  db: Kysely<any>,
  list: Record<string, Migration> = migrations,
  /**
   * The PostgreSQL schema the database lives in, when not the default. Kysely looks for its
   * bookkeeping tables in every schema unless told which: with another schema's tables in sight
   * it would skip creating its own.
   */
  schema?: string,
): Promise<MigrationReport> {
  // All pending migrations run in one transaction, on SQLite too (see database.ts).
  const provider: MigrationProvider = { getMigrations: async () => list };
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === "Error");
    throw new Error(`Migration ${failed?.migrationName ?? "(unknown)"} failed: ${String(error)}`, { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName) };
}
