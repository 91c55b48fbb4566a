/**
 * The database handle, over SQLite (embedded default) or PostgreSQL. Every dialect difference
 * that the code must know about lives here or in `dialect.ts`; repositories are dialect-free.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import {
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
    return { db, dialect: "sqlite", close: () => db.destroy() };
  }

  const pool = new pg.Pool({
    connectionString: config.url,
    max: 10,
    // Timestamps are epoch milliseconds in BIGINT columns; they fit a JS number exactly.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === PG_INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
    ...(options.postgresSchema ? { options: `-c search_path=${options.postgresSchema}` } : {}),
  });
  // An idle connection that the server drops (a restart, a failover) is reported here; without
  // a listener the error would crash the process. The pool replaces the connection on next use.
  pool.on("error", () => undefined);
  // The same for a connection that is in use: its query fails (and becomes a 503), and the
  // client's own error event must not go unheard.
  pool.on("connect", (client) => client.on("error", () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", close: () => db.destroy() };
}
