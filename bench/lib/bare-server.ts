/**
 * The floor for an authenticated read: a plain Fastify instance (no logger, no plugins, no
 * hooks) whose one route runs one prepared SELECT and returns the row as JSON. No Kysely, no
 * session, no schema: what "one request, one query" costs on this machine.
 *   - SQLite: a better-sqlite3 prepared statement on the server's database file.
 *   - PostgreSQL: a named prepared statement (parsed once per connection) on a pool made by
 *     db/database.ts's createPostgresPool, as the server's own is, in the server's schema.
 */
import SQLite from "better-sqlite3";
import Fastify from "fastify";
import { createPostgresPool } from "../../src/db/database.js";

export interface BareServer {
  readonly url: string;
  close(): Promise<void>;
}

interface Row {
  id: string;
  username: string;
}

async function serve(select: () => Promise<Row | undefined> | Row | undefined, release: () => Promise<void>) {
  const app = Fastify();
  app.get("/bare/me", async (_request, reply) => {
    const row = await select();
    if (!row) return reply.status(404).send({ error: "not found" });
    return row;
  });
  try {
    const address = await app.listen({ host: "127.0.0.1", port: 0 });
    return {
      url: `${address}/bare/me`,
      async close() {
        await app.close();
        await release();
      },
    };
  } catch (error) {
    await app.close();
    await release();
    throw error;
  }
}

export async function startBareSqliteServer(dbPath: string, staffId: string): Promise<BareServer> {
  const db = new SQLite(dbPath, { fileMustExist: true });
  const select = db.prepare<[string], Row>("SELECT id, username FROM staff WHERE id = ?");
  if (!select.get(staffId)) throw new Error(`bare server: no staff row ${staffId}`);
  return serve(
    () => select.get(staffId),
    async () => {
      db.close();
    },
  );
}

export async function startBarePostgresServer(url: string, schema: string, staffId: string): Promise<BareServer> {
  const pool = createPostgresPool(url, schema);
  const query = { name: "bare_me", text: "SELECT id, username FROM staff WHERE id = $1", values: [staffId] };
  const select = async () => (await pool.query<Row>(query)).rows[0];
  // Every connection of the pool open, as the server's are after its warm-up.
  await Promise.all(Array.from({ length: 10 }, () => pool.query("SELECT pg_sleep(0.05)")));
  if (!(await select())) {
    await pool.end();
    throw new Error(`bare server: no staff row ${staffId}`);
  }
  return serve(select, () => pool.end());
}
