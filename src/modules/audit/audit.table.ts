import type { Generated } from "kysely";

export interface AuditEventsTable {
  id: string;
  account_id: string | null;
  at: number;
  source: "office_portal" | "support" | "system";
  actor_type: string | null;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  ip: string | null;
  /** JSON object; never a secret. */
  details: string;
  /** How many times it happened: refusals repeated within a minute share one row. */
  occurrences: Generated<number>;
}
