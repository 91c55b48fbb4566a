import type { Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
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
  readonly action: string;
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
  await db
    .insertInto("audit_events")
    .values({
      id: newId(deps.random, "evt"),
      account_id: event.accountId,
      at: deps.clock.now(),
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
    })
    .execute();
}

export async function listAuditEvents(
  db: Executor,
  accountId: string,
  options: { action?: string; limit: number },
): Promise<AuditEvent[]> {
  let query = db
    .selectFrom("audit_events")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(options.limit);
  if (options.action) query = query.where("action", "=", options.action);
  const rows = await query.execute();
  return rows.map((row) => ({
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
    details: JSON.parse(row.details) as Record<string, unknown>,
  }));
}
