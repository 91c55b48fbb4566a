/**
 * What an agent sees of a business: enough to find it and help the caller, no secrets. The
 * owner's email and phone are masked, and the verification facts are never shown — only which
 * of them are on file.
 */
import { sql } from "kysely";
import type { Executor } from "../../db/database.js";
import { maskEmail, maskPhone } from "../../shared/mask.js";
import { getAccountBySlug } from "../accounts/index.js";

export interface AccountListing {
  readonly slug: string;
  readonly name: string;
  readonly ownerName: string;
}

export async function searchAccounts(
  db: Executor,
  search: string | undefined,
  limit: number,
): Promise<AccountListing[]> {
  let query = db
    .selectFrom("accounts")
    .leftJoin("staff", (join) => join.onRef("staff.account_id", "=", "accounts.id").on("staff.is_owner", "=", 1))
    .select(["accounts.slug", "accounts.name", "accounts.owner_full_name", "staff.first_name", "staff.last_name"])
    .orderBy("accounts.name")
    .orderBy("accounts.slug")
    .limit(limit);
  const term = search?.trim().toLowerCase();
  if (term) {
    const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`lower(accounts.slug) like ${pattern} escape '\\'`,
        sql<boolean>`lower(accounts.name) like ${pattern} escape '\\'`,
        eb(sql`lower(accounts.owner_full_name)`, "like", pattern),
      ]),
    );
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    slug: row.slug,
    name: row.name,
    ownerName: row.first_name ? `${row.first_name} ${row.last_name}` : row.owner_full_name,
  }));
}

export async function accountSummary(db: Executor, slug: string) {
  const account = await getAccountBySlug(db, slug);
  const owner = await db
    .selectFrom("staff")
    .selectAll()
    .where("account_id", "=", account.id)
    .where("is_owner", "=", 1)
    .executeTakeFirst();
  const staffCount = await db
    .selectFrom("staff")
    .select((eb) => eb.fn.countAll<number | string>().as("count"))
    .where("account_id", "=", account.id)
    .executeTakeFirstOrThrow();
  const cases = await db
    .selectFrom("recovery_cases")
    .select(["id", "status", "opened_at", "caller_name"])
    .where("account_id", "=", account.id)
    .orderBy("opened_at", "desc")
    .limit(10)
    .execute();
  return {
    slug: account.slug,
    name: account.name,
    createdAt: new Date(account.created_at).toISOString(),
    ownerName: owner ? `${owner.first_name} ${owner.last_name}` : account.owner_full_name,
    ownerEmail: owner?.email ? maskEmail(owner.email) : null,
    ownerPhone: owner?.mobile_phone
      ? maskPhone(owner.mobile_phone)
      : account.business_phone
        ? maskPhone(account.business_phone)
        : null,
    ownerStatus: owner?.status ?? null,
    staffCount: Number(staffCount.count),
    smsVoiceEnabled: account.sms_voice_enabled === 1,
    smsCredits: account.sms_credits,
    verificationFactsOnFile: {
      ownerFullName: Boolean(account.owner_full_name),
      billingPostalCode: Boolean(account.billing_postal_code),
      cardLast4: Boolean(account.card_last4),
      businessPhone: Boolean(account.business_phone),
    },
    recentCases: cases.map((c) => ({
      id: c.id,
      status: c.status,
      openedAt: new Date(c.opened_at).toISOString(),
      callerName: c.caller_name,
    })),
  };
}
