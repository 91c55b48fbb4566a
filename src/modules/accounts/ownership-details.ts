/**
 * The facts vendor support checks when a Business Owner must be recovered (API.md v2, "ownership
 * details"). Only the owner reads them — masked, enough to recognise, never to learn — and only
 * the owner changes them, in sudo mode: with them, a caller can talk support into a recovery.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { DomainError } from "../../shared/errors.js";
import type { Random } from "../../shared/random.js";
import { recordAuditEvent } from "../audit/index.js";
import { requireRecentAuthentication } from "../permissions/index.js";
import { fullName, type StaffPrincipal } from "../staff/index.js";
import { findAccountById } from "./accounts.repository.js";
import type { AccountRow } from "./accounts.table.js";

export interface OwnershipDetails {
  readonly billingPostalCode: string | null;
  readonly cardLast4: string | null;
  readonly businessPhone: string | null;
  readonly ownerFullName: string | null;
}

export interface OwnershipChanges {
  readonly billingPostalCode?: string | null;
  readonly cardLast4?: string | null;
  readonly businessPhone?: string | null;
}

/** All but the last two characters hidden (the last 4 of a phone); short values wholly. */
function maskFact(value: string | null, visible: number): string | null {
  if (value === null) return null;
  const shown = value.length > visible + 1 ? value.slice(-visible) : "";
  return `${"•".repeat(Math.max(3, value.length - shown.length))}${shown}`;
}

function toOwnershipDetails(account: AccountRow): OwnershipDetails {
  return {
    billingPostalCode: maskFact(account.billing_postal_code, 2),
    // The card's last 4 are already a mask of the card; they are shown as the owner typed them.
    cardLast4: account.card_last4,
    businessPhone: maskFact(account.business_phone, 4),
    ownerFullName: account.owner_full_name,
  };
}

function requireOwner(actor: StaffPrincipal): void {
  if (actor.is_owner !== 1) {
    throw new DomainError("owner_protected", "Only the Business Owner can see or change the ownership details.");
  }
}

export async function getOwnershipDetails(db: Kysely<Database>, actor: StaffPrincipal): Promise<OwnershipDetails> {
  requireOwner(actor);
  const account = await findAccountById(db, actor.account_id);
  if (!account) throw new DomainError("not_found");
  return toOwnershipDetails(account);
}

function cleanChanges(changes: OwnershipChanges) {
  const fields: Record<string, string> = {};
  const clean = (value: string | null | undefined) => (value === undefined ? undefined : value?.trim() || null);
  const billingPostalCode = clean(changes.billingPostalCode);
  const cardLast4 = clean(changes.cardLast4);
  const businessPhone = clean(changes.businessPhone);
  if (billingPostalCode && !/^[\p{L}\p{N} -]{2,12}$/u.test(billingPostalCode)) {
    fields["billingPostalCode"] = "a postal code such as 94110 or SW1A 1AA";
  }
  if (cardLast4 && !/^\d{4}$/.test(cardLast4)) fields["cardLast4"] = "exactly 4 digits";
  if (businessPhone && !/^\+?[0-9 ().-]{7,24}$/.test(businessPhone)) {
    fields["businessPhone"] = "a phone number such as +1 415 555 0100";
  }
  if (Object.keys(fields).length > 0) throw new DomainError("validation_failed", undefined, { fields });
  return {
    ...(billingPostalCode !== undefined ? { billing_postal_code: billingPostalCode } : {}),
    ...(cardLast4 !== undefined ? { card_last4: cardLast4 } : {}),
    ...(businessPhone !== undefined ? { business_phone: businessPhone } : {}),
  };
}

export async function updateOwnershipDetails(
  deps: { db: Kysely<Database>; clock: Clock; random: Random },
  actor: { readonly staff: StaffPrincipal; readonly recentlyAuthenticated: boolean; readonly ip: string | null },
  changes: OwnershipChanges,
): Promise<OwnershipDetails> {
  requireOwner(actor.staff);
  requireRecentAuthentication(actor, "change the ownership details");
  const columns = cleanChanges(changes);
  return deps.db.transaction().execute(async (tx) => {
    const now = deps.clock.now();
    await tx
      .updateTable("accounts")
      .set({ ...columns, updated_at: now })
      .where("id", "=", actor.staff.account_id)
      .execute();
    const owner = { type: "staff" as const, id: actor.staff.id, name: fullName(actor.staff) };
    // Which facts changed, never their values: they are what a caller must know to be believed.
    await recordAuditEvent(tx, deps, {
      accountId: actor.staff.account_id,
      source: "office_portal",
      actor: owner,
      action: "account.ownership_details_changed",
      target: null,
      ip: actor.ip,
      details: { changed: Object.keys(changes) },
    });
    const account = await findAccountById(tx, actor.staff.account_id);
    if (!account) throw new DomainError("not_found");
    return toOwnershipDetails(account);
  });
}
