import type { AuditAction } from "../../contract/audit-actions.js";
import { preparedQuery, type Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { decodeCursor, encodeCursor } from "../../shared/cursor.js";
import { sha256Hex } from "../../shared/hash.js";
import { newId, type Random } from "../../shared/random.js";
import type { AuditEventsTable } from "./audit.table.js";

export type AuditSource = AuditEventsTable["source"];

export interface AuditParty {
  readonly type: "staff" | "support_agent" | "system";
  readonly id: string | null;
  readonly name: string | null;
}

export interface AuditEventInput {
  readonly accountId: string | null;
  readonly source: AuditSource;
  readonly actor: AuditParty | null;
  /** One of the shared list, which gives every action its words in the audit log (contract/). */
  readonly action: AuditAction;
  readonly target?: AuditParty | null;
  readonly ip?: string | null;
  /** What changed; never a password, hash, token or session id. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditEvent {
  readonly id: string;
  readonly at: string;
  readonly source: AuditSource;
  readonly actor: AuditParty | null;
  readonly action: string;
  readonly target: AuditParty | null;
  readonly ip: string | null;
  readonly details: Record<string, unknown>;
}

export interface AuditDeps {
  readonly clock: Clock;
  readonly random: Random;
}

/** Writes one audit event; call it with the transaction that makes the change it records. */
export async function recordAuditEvent(db: Executor, deps: AuditDeps, event: AuditEventInput): Promise<void> {
  await insertAuditEvent(db, { ...auditRow(event, deps.clock.now()), id: newId(deps.random, "evt") });
}

type AuditRow = ReturnType<typeof auditRow> & { readonly id: string };
const AUDIT_COLUMNS = [
  "account_id",
  "at",
  "source",
  "actor_type",
  "actor_id",
  "actor_name",
  "action",
  "target_type",
  "target_id",
  "target_name",
  "ip",
  "details",
  "id",
] as const satisfies ReadonlyArray<keyof AuditRow>;

/** Prepared once: every sign-in, failed or not, writes an audit row (docs/benchmarks.md). */
const insertAuditEvent = preparedQuery(
  "insert_audit_event",
  (db, row: AuditRow) =>
    db
      .insertInto("audit_events")
      .values(Object.fromEntries(AUDIT_COLUMNS.map((column) => [column, row[column]])) as AuditRow),
  (row) => AUDIT_COLUMNS.map((column) => row[column]),
);

function auditRow(event: AuditEventInput, at: number) {
  return {
    account_id: event.accountId,
    at,
    source: event.source,
    actor_type: event.actor?.type ?? null,
    actor_id: event.actor?.id ?? null,
    actor_name: event.actor?.name ?? null,
    action: event.action,
    target_type: event.target?.type ?? null,
    target_id: event.target?.id ?? null,
    target_name: event.target?.name ?? null,
    ip: event.ip ?? null,
    details: JSON.stringify(event.details ?? {}),
  };
}

/** One row per (key, minute): a refusal repeated within the minute bumps the row's count. */
export const COALESCE_WINDOW_MS = 60_000;

/**
 * Records a refusal (a throttled sign-in, a 403) without letting a flood of them flood the log:
 * the first in a minute writes a row, later ones in that minute count on it. `key` names what
 * repeats (e.g. the person and the action).
 */
export async function recordRepeatedAuditEvent(
  db: Executor,
  deps: AuditDeps,
  event: AuditEventInput & { readonly key: string },
): Promise<void> {
  const now = deps.clock.now();
  const minute = Math.floor(now / COALESCE_WINDOW_MS);
  const id = `evt_r${sha256Hex(JSON.stringify([event.accountId, event.action, event.key, minute])).slice(0, 32)}`;
  await db
    .insertInto("audit_events")
    .values({ ...auditRow(event, now), id })
    .onConflict((oc) => oc.column("id").doUpdateSet((eb) => ({ occurrences: eb("audit_events.occurrences", "+", 1) })))
    .execute();
}

export interface AuditQuery {
  readonly action?: string;
  /** Events where this staff member acted or was acted on. */
  readonly staffId?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly limit: number;
  readonly cursor?: string;
}

/** Newest first, keyset-paged on (at, id). */
export async function listAuditEvents(
  db: Executor,
  accountId: string,
  query: AuditQuery,
): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  let select = db
    .selectFrom("audit_events")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(query.limit + 1);
  if (query.action) select = select.where("action", "=", query.action);
  const { staffId } = query;
  if (staffId) select = select.where((eb) => eb.or([eb("actor_id", "=", staffId), eb("target_id", "=", staffId)]));
  if (query.fromMs !== undefined) select = select.where("at", ">=", query.fromMs);
  if (query.toMs !== undefined) select = select.where("at", "<", query.toMs);
  if (query.cursor) {
    const [at, id] = decodeCursor<[number, string]>(query.cursor, ["number", "string"]);
    select = select.where((eb) => eb.or([eb("at", "<", at), eb.and([eb("at", "=", at), eb("id", "<", id)])]));
  }
  const rows = await select.execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      at: new Date(row.at).toISOString(),
      source: row.source,
      actor: row.actor_type
        ? { type: row.actor_type as AuditParty["type"], id: row.actor_id, name: row.actor_name }
        : null,
      action: row.action,
      target: row.target_type
        ? { type: row.target_type as AuditParty["type"], id: row.target_id, name: row.target_name }
        : null,
      ip: row.ip,
      details: {
        ...(JSON.parse(row.details) as Record<string, unknown>),
        ...(row.occurrences > 1 ? { count: row.occurrences } : {}),
      },
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.at, last.id]) : null,
  };
}
