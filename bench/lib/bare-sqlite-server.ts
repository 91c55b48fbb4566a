/**
 * The floor for an authenticated read: a plain Fastify instance (no logger, no plugins, no
 * hooks) whose one route runs one prepared better-sqlite3 SELECT and returns the row as JSON.
 * No Kysely, no session, no schema: what "one request, one query" costs on this machine.
 */
import SQLite from "better-sqlite3";
import Fastify from "fastify";

export interface BareServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startBareSqliteServer(dbPath: string, staffId: string): Promise<BareServer> {
  const db = new SQLite(dbPath, { fileMustExist: true });
  const select = db.prepare<[string], { id: string; username: string }>("SELECT id, username FROM staff WHERE id = ?");
  if (!select.get(staffId)) throw new Error(`bare server: no staff row ${staffId}`);

  const app = Fastify();
  app.get("/bare/me", async (_request, reply) => {
    const row = select.get(staffId);
    if (!row) return reply.status(404).send({ error: "not found" });
    return row;
  });
  try {
    const address = await app.listen({ host: "127.0.0.1", port: 0 });
    return {
      url: `${address}/bare/me`,
      async close() {
        await app.close();
        db.close();
      },
    };
  } catch (error) {
    await app.close();
    db.close();
    throw error;
  }
}
