/**
 * The database handle, over SQLite (embedded default) or PostgreSQL. Every dialect difference
 * that the code must know about lives here or in `dialect.ts`; repositories are dialect-free.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDatabase,
  type SqliteStatement,
  type Transaction,
} from "kysely";
import pg from "pg";
import type { DatabaseConfig } from "../config/config.js";
import type { AccountsTable } from "../modules/accounts/accounts.table.js";
import type { AuditEventsTable } from "../modules/audit/audit.table.js";
import type { ResetTokensTable } from "../modules/reset-tokens/reset-tokens.table.js";
import type { IdempotencyKeysTable } from "../modules/idempotency/idempotency.table.js";
import type { OidcClientsTable, OidcModelsTable } from "../modules/identity-provider/identity-provider.table.js";
import type { OutboxMessagesTable } from "../modules/messaging/outbox.table.js";
import type { SmsCreditLedgerTable } from "../modules/sms-credits/sms-credits.table.js";
import type { RecoveryCasesTable, SupportAgentsTable, SupportSessionsTable } from "../modules/support/support.table.js";
import type { EndedSessionsTable, SessionsTable, TrustedBrowsersTable } from "../modules/sessions/sessions.table.js";
import type { LoginAttemptsTable } from "../modules/throttling/login-attempts.table.js";
import type { StaffTokensTable } from "../modules/reset-tokens/staff-tokens.table.js";
import type {
  PasskeysTable,
  PendingSignInsTable,
  RecoveryCodesTable,
  TotpFactorsTable,
} from "../modules/two-factor/two-factor.table.js";
import type { StaffSearchGramsTable, StaffTable } from "../modules/staff/staff.table.js";

export interface Database {
  accounts: AccountsTable;
  staff: StaffTable;
  staff_search_grams: StaffSearchGramsTable;
  sessions: SessionsTable;
  ended_sessions: EndedSessionsTable;
  audit_events: AuditEventsTable;
  outbox_messages: OutboxMessagesTable;
  password_reset_tokens: ResetTokensTable;
  sms_credit_ledger: SmsCreditLedgerTable;
  idempotency_keys: IdempotencyKeysTable;
  support_agents: SupportAgentsTable;
  support_sessions: SupportSessionsTable;
  recovery_cases: RecoveryCasesTable;
  login_attempts: LoginAttemptsTable;
  staff_tokens: StaffTokensTable;
  trusted_browsers: TrustedBrowsersTable;
  totp_factors: TotpFactorsTable;
  recovery_codes: RecoveryCodesTable;
  passkeys: PasskeysTable;
  pending_sign_ins: PendingSignInsTable;
  oidc_models: OidcModelsTable;
  oidc_clients: OidcClientsTable;
}

/** A connection or an open transaction: repository functions accept either. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DatabaseConfig["dialect"];
  close(): Promise<void>;
}

const PG_INT8_OID = 20;
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely asks better-sqlite3 to prepare every statement anew, and preparing costs several times
 * more than running (measured: ~45 µs vs ~8 µs for the session lookup). The same SQL text is
 * prepared once and reused; the cache is bounded and drops the least recently used.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}

/**
 * SQLite's DDL is transactional, but Kysely's adapter says otherwise, so its Migrator would run
 * migrations outside a transaction: a process killed mid-migration would leave a half-migrated
 * database that no later start can migrate. Saying so makes the Migrator run all pending
 * migrations, and its record of them, in one transaction, as on PostgreSQL.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class StaffgateSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * The PostgreSQL pool the server uses (the benchmark's bare route uses one made here too, so both
 * sides of its ratio run on the same pool settings).
 */
export function createPostgresPool(url: string, postgresSchema?: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Timestamps are epoch milliseconds in BIGINT columns; they fit a JS number exactly.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === PG_INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
    ...(postgresSchema ? { options: `-c search_path=${postgresSchema}` } : {}),
  });
  // An idle connection that the server drops (a restart, a failover) is reported here; without
  // a listener the error would crash the process. The pool replaces the connection on next use.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => {
    // The same for a connection that is in use: its query fails (and becomes a 503), and the
    // client's own error event must not go unheard.
    client.on("error", () => undefined);
    sendPreparedQueriesNamed(client);
  });
  return pool;
}

/** Opens the SQL text of a `preparedQuery`: `/* prepared:<name> *\/ SELECT …`. */
const PREPARED_MARK = "/* prepared:";

/**
 * A `preparedQuery`'s statement goes to PostgreSQL as a named prepared statement: parsed and
 * planned once per connection, then only bound and run (what better-sqlite3's statement cache
 * does for SQLite). Its name comes from the SQL text, whose text never changes.
 */
function sendPreparedQueriesNamed(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((text: unknown, ...rest: unknown[]) => {
    if (typeof text === "string" && text.startsWith(PREPARED_MARK) && Array.isArray(rest[0])) {
      const name = text.slice(PREPARED_MARK.length, text.indexOf(" */"));
      return query({ name, text, values: rest[0] }, ...rest.slice(1));
    }
    return query(text, ...rest);
  }) as typeof client.query;
}

/**
 * A query that runs on every request (the session look-up), built and compiled by Kysely once
 * per database instead of on every call — building and compiling cost more than running it —
 * and prepared once: by better-sqlite3's statement cache on SQLite, as a named prepared
 * statement on PostgreSQL. `parameters` lists the query's parameters in the order the compiled
 * SQL takes them; the first compilation checks that it does.
 */
export function preparedQuery<Args extends readonly unknown[], Row>(
  name: string,
  build: (db: Executor, ...args: Args) => { compile(): CompiledQuery<Row> },
  parameters: (...args: Args) => readonly unknown[],
): (db: Executor, ...args: Args) => Promise<Row[]> {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`preparedQuery: bad name "${name}"`);
  // Keyed by the database's dialect adapter, which its transactions share (one per database).
  const sqlTexts = new WeakMap<object, string>();
  return async (db, ...args) => {
    const adapter = db.getExecutor().adapter;
    const values = parameters(...args);
    let text = sqlTexts.get(adapter);
    if (text === undefined) {
      const compiled = build(db, ...args).compile();
      const same =
        compiled.parameters.length === values.length && compiled.parameters.every((value, i) => value === values[i]);
      if (!same) throw new Error(`preparedQuery ${name}: parameters() does not list the compiled query's parameters`);
      text = `${PREPARED_MARK}${name} */ ${compiled.sql}`;
      sqlTexts.set(adapter, text);
    }
    if (!db.isTransaction) {
      const rows = directRuns.get(adapter)?.(text, values, name);
      if (rows !== undefined) return (await rows) as Row[];
    }
    const result = await db.executeQuery<Row>(CompiledQuery.raw(text, [...values]));
    return result.rows;
  };
}

export function openDatabase(config: DatabaseConfig, options: { postgresSchema?: string } = {}): DatabaseHandle {
  if (config.dialect === "sqlite") {
    if (config.path !== ":memory:") mkdirSync(dirname(config.path), { recursive: true });
    const sqlite = new SQLite(config.path);
    // WAL lets readers run beside the writer; a killed process loses nothing committed.
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    // 64 MiB of page cache instead of SQLite's 2 MiB: the search index's inserts land all over
    // its B-tree, and with 2 MiB bulk inserts took half as long again (docs/benchmarks.md).
    sqlite.pragma("cache_size = -65536");
    const db = new Kysely<Database>({ dialect: new StaffgateSqliteDialect({ database: withStatementCache(sqlite) }) });
    // A second connection of the same file for `preparedQuery` reads outside transactions (an
    // in-memory database has no second connection to open).
    const reader = config.path === ":memory:" ? undefined : openSqliteReader(config.path);
    if (reader) directRuns.set(db.getExecutor().adapter, reader.run);
    return {
      db,
      dialect: "sqlite",
      close: async () => {
        reader?.close();
        await db.destroy();
      },
    };
  }

  const pool = createPostgresPool(config.url, options.postgresSchema);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // Outside a transaction a `preparedQuery` is one statement on any connection of the pool, as
  // Kysely would run it; pool.query checks one out and back in without Kysely's machinery.
  directRuns.set(db.getExecutor().adapter, async (text, values, name) => {
    const result = await pool.query({ name, text, values: [...values] });
    return result.rows;
  });
  return { db, dialect: "postgres", close: () => db.destroy() };
}

/**
 * How a `preparedQuery` runs outside a transaction without Kysely's executor (its connection
 * hand-over, mutex and promise hops cost a GET /me more than SQLite's own work): the rows, or
 * undefined to leave the statement to Kysely. Keyed by the database's dialect adapter.
 */
type DirectRun = (
  text: string,
  values: readonly unknown[],
  name: string,
) => Promise<readonly unknown[]> | readonly unknown[] | undefined;
const directRuns = new WeakMap<object, DirectRun>();

/**
 * A read-only connection for `preparedQuery` reads outside transactions. In WAL mode it reads
 * beside the writer and sees what is committed, as the shared connection does between
 * transactions; unlike that one it never waits for another request's transaction to end, and it
 * never runs a statement inside one. Writes still go through Kysely's one connection, in order.
 */
function openSqliteReader(path: string): { run: DirectRun; close(): void } {
  const reader = new SQLite(path, { readonly: true });
  reader.pragma("busy_timeout = 5000");
  const statements = new Map<string, SqliteStatement | null>();
  return {
    run(text, values) {
      let statement = statements.get(text);
      if (statement === undefined) {
        const prepared = reader.prepare(text);
        // A write (RETURNING makes one a reader too) is prepared here only to learn that it is
        // one; it runs on the shared connection.
        statement = prepared.reader && prepared.readonly ? (prepared as unknown as SqliteStatement) : null;
        statements.set(text, statement);
      }
      return statement === null ? undefined : statement.all(values as unknown[]);
    },
    close: () => reader.close(),
  };
}
