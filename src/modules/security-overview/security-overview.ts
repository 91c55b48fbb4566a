/**
 * The security overview (issue 14, Admin Access): who has Admin Access, who has two-step
 * sign-in and which kinds, who must change their password or never signed in, each person's last
 * sign-in, and failed sign-ins per day for 30 days — what an owner would rather see than read.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { requireAdminAccess, type Party } from "../permissions/index.js";
import { twoFactorSummaries } from "../two-factor/index.js";
import { DAY_MS, failedSignInsPerDay, lastSignIns, listActiveStaff } from "./security-overview.repository.js";

export const OVERVIEW_DAYS = 30;

export interface OverviewPerson {
  readonly id: string;
  readonly name: string;
  readonly username: string;
  readonly isOwner: boolean;
  readonly adminFullAccess: boolean;
  readonly twoFactor: { readonly totp: boolean; readonly passkeys: number; readonly recoveryCodesLeft: number };
  readonly mustChangePassword: boolean;
  readonly passwordSet: boolean;
  /** ISO 8601, or null when the person never signed in (as far as the audit log knows). */
  readonly lastSignedInAt: string | null;
}

export interface SecurityOverview {
  readonly requireTwoFactor: boolean;
  readonly people: OverviewPerson[];
  readonly totals: {
    readonly active: number;
    readonly adminAccess: number;
    readonly withTwoFactor: number;
    readonly mustChangePassword: number;
    readonly neverSignedIn: number;
  };
  /** Oldest first, one entry per UTC day, today last. */
  readonly failedSignInsPerDay: Array<{ readonly date: string; readonly count: number }>;
}

export async function securityOverview(
  deps: { db: Kysely<Database>; clock: Clock },
  actor: Party & { account_id: string },
  requireTwoFactor: boolean,
): Promise<SecurityOverview> {
  requireAdminAccess(actor, "see the security overview");
  const accountId = actor.account_id;
  const today = Math.floor(deps.clock.now() / DAY_MS);
  const firstDay = today - (OVERVIEW_DAYS - 1);
  const [staff, lastSeen, failures] = await Promise.all([
    listActiveStaff(deps.db, accountId),
    lastSignIns(deps.db, accountId),
    failedSignInsPerDay(deps.db, accountId, firstDay * DAY_MS),
  ]);
  const factors = await twoFactorSummaries(
    deps.db,
    accountId,
    staff.map((row) => row.id),
  );
  const people = staff.map((row): OverviewPerson => {
    const last = lastSeen.get(row.id);
    return {
      id: row.id,
      name: `${row.first_name} ${row.last_name}`.trim(),
      username: row.username,
      isOwner: row.is_owner === 1,
      adminFullAccess: row.is_owner === 1 || row.admin_full_access === 1,
      twoFactor: factors.get(row.id) ?? { totp: false, passkeys: 0, recoveryCodesLeft: 0 },
      mustChangePassword: row.must_change_password === 1,
      passwordSet: Number(row.has_password) === 1,
      lastSignedInAt: last === undefined ? null : new Date(last).toISOString(),
    };
  });
  return {
    requireTwoFactor,
    people,
    totals: {
      active: people.length,
      adminAccess: people.filter((person) => person.adminFullAccess).length,
      withTwoFactor: people.filter((person) => person.twoFactor.totp || person.twoFactor.passkeys > 0).length,
      mustChangePassword: people.filter((person) => person.mustChangePassword).length,
      neverSignedIn: people.filter((person) => person.lastSignedInAt === null).length,
    },
    failedSignInsPerDay: Array.from({ length: OVERVIEW_DAYS }, (_, i) => {
      const day = firstDay + i;
      return { date: new Date(day * DAY_MS).toISOString().slice(0, 10), count: failures.get(day) ?? 0 };
    }),
  };
}
