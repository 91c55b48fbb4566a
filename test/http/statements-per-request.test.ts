/**
 * The SQL statements each hot request runs, counted exactly (issue 18), so that a statement
 * added to a sign-in, to `GET …/me` or to a page of the STAFF list fails here instead of going
 * unnoticed into the benchmark. BEGIN and COMMIT count: on PostgreSQL each is a round trip.
 *
 * Counted in the test alone, where statements reach the database drivers (better-sqlite3's
 * statements, pg's clients), so that those Kysely runs and those `preparedQuery` runs past it
 * (db/database.ts) both count; the production path carries no hook. The counts are the same on
 * both dialects, and a failed sign-in runs the same statements whoever it names
 * (sign-in-timing.test.ts measures the time).
 */
import SQLite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import {
  SAMPLE_ACCOUNT,
  createTestApp,
  insertStaffMember,
  seedAccount,
  signIn,
  type TestApp,
} from "../support/http.js";

/** The statements run since the last `take()`, as SQL text. */
const statements: string[] = [];

type StatementMethod = (this: { source: string }, ...args: unknown[]) => unknown;

// better-sqlite3: every statement runs through one of these (Kysely uses `all` and `run`).
const probe = new SQLite(":memory:");
const statementPrototype = Object.getPrototypeOf(probe.prepare("SELECT 1")) as Record<string, StatementMethod>;
probe.close();
for (const method of ["all", "run", "get", "iterate"]) {
  const original = statementPrototype[method];
  if (!original) throw new Error(`better-sqlite3 statements have no ${method}()`);
  statementPrototype[method] = function (this: { source: string }, ...args: unknown[]) {
    statements.push(this.source);
    return original.apply(this, args);
  };
}

// pg: every statement is a client's query, whether Kysely sends it or the pool does.
const clientQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [first] = args;
  statements.push(typeof first === "string" ? first : String((first as { text?: unknown }).text));
  return clientQuery.apply(this, args);
} as typeof pg.Client.prototype.query;

function take(): string[] {
  return statements.splice(0, statements.length);
}

/** The statements one request runs: the SQL of each, in order, for a readable failure. */
async function statementsOf(request: () => Promise<{ statusCode: number }>, status = 200): Promise<string[]> {
  take();
  const reply = await request();
  expect(reply.statusCode).toBe(status);
  return take();
}

const PASSWORD = "front-desk-pass-1";
const slug = SAMPLE_ACCOUNT.slug;

describe.each(dialects)("statements per request on %s", (dialect) => {
  let t: TestApp;
  let cookie: string;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    const { account } = await seedAccount(t);
    await insertStaffMember(t, account.id, { username: "sam", password: PASSWORD, adminFullAccess: true });
    for (let i = 0; i < 60; i++) {
      await insertStaffMember(t, account.id, { username: `member-${i}`, password: PASSWORD });
    }
    // "Stay signed in": the session can't idle out while the clock moves on.
    const reply = await signIn(t, "sam", PASSWORD, slug, true);
    const session = reply.cookies.find((c) => c.name === "staffgate_session");
    if (!session) throw new Error("no session cookie");
    cookie = `staffgate_session=${session.value}`;
  });
  afterAll(async () => t.close());

  it("signs in with a password in 11 statements (a fresh browser)", async () => {
    const sql = await statementsOf(() => signIn(t, "sam", PASSWORD));
    expect(sql, sql.join("\n")).toHaveLength(11);
  });

  it("fails a sign-in in the same 4 statements whoever the login names", async () => {
    // Out of any delay that an earlier attempt left.
    clock.advanceSeconds(3600);
    const wrong = await statementsOf(() => signIn(t, "sam", "not-the-password-9"), 401);
    const unknown = await statementsOf(() => signIn(t, "nobody-here", "not-the-password-9"), 401);
    expect(wrong, wrong.join("\n")).toHaveLength(4);
    expect(unknown, unknown.join("\n")).toHaveLength(wrong.length);
  });

  it("answers GET …/me in 2 statements", async () => {
    // The session's last-seen time is written at most once a minute: this one writes it.
    await t.request({ method: "GET", url: `/api/accounts/${slug}/me`, cookie });
    const sql = await statementsOf(() => t.request({ method: "GET", url: `/api/accounts/${slug}/me`, cookie }));
    expect(sql, sql.join("\n")).toHaveLength(2);
  });

  it("answers a page of the STAFF list in 6 statements, whatever the page's size", async () => {
    const sql = await statementsOf(() =>
      t.request({ method: "GET", url: `/api/accounts/${slug}/staff?limit=50`, cookie }),
    );
    expect(sql, sql.join("\n")).toHaveLength(6);
  });
});
