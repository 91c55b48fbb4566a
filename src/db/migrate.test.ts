import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "./database.js";
import { migrateToLatest } from "./migrate.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
const createTable = (name: string) => (db: Kysely<any>) =>
  db.schema
    .createTable(name)
    .addColumn("id", "text", (c) => c.primaryKey())
    .execute();

describe("migrations on SQLite", () => {
  const dir = mkdtempSync(join(tmpdir(), "staffgate-migrate-"));
  let database: DatabaseHandle | undefined;
  afterEach(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("leave nothing of a run that fails half-way, so the next start can run it again", async () => {
    database = openDatabase({ dialect: "sqlite", path: join(dir, "half.db") });
    const first: Migration = { up: createTable("first_table") };
    const broken: Migration = {
      up: async (db) => {
        await createTable("second_table")(db);
        throw new Error("killed half-way");
      },
    };
    await expect(migrateToLatest(database.db, { "0001_first": first, "0002_second": broken })).rejects.toThrow(
      "Migration 0002_second failed: Error: killed half-way",
    );
    const tables = async () =>
      (
        await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name like '%_table'`.execute(database!.db)
      ).rows.map((row) => row.name);
    // The pending migrations and Kysely's record of them commit together, or not at all.
    expect(await tables()).toEqual([]);

    const fixed: Migration = { up: createTable("second_table") };
    expect(await migrateToLatest(database.db, { "0001_first": first, "0002_second": fixed })).toEqual({
      applied: ["0001_first", "0002_second"],
    });
    expect((await tables()).sort()).toEqual(["first_table", "second_table"]);
  });
});
