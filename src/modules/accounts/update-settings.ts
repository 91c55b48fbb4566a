/**
 * Admin Access changes the business's settings: the SMS/Voice messaging switch, the password
 * minimum length (8 to 64; NIST SP 800-63B-4 recommends 15 for single-factor passwords), the
 * business's country (how numbers typed without a "+" are read) and the countries texts may go
 * to — each country allowed is one whose numbers can be texted at the business's expense.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { DomainError } from "../../shared/errors.js";
import type { Random } from "../../shared/random.js";
import { recordAuditEvent } from "../audit/index.js";
import { ABSOLUTE_MIN_LENGTH, MAX_CONFIGURABLE_MIN_LENGTH } from "../password-policy/index.js";
import { hasAdminAccess, requireRecentAuthentication } from "../permissions/index.js";
import { fullName, type StaffPrincipal } from "../staff/index.js";
import { countryProblem, toAccountSettings, type AccountSettings } from "./account.js";
import { findAccountById } from "./accounts.repository.js";

export interface SettingsChanges {
  readonly smsVoiceEnabled?: boolean;
  readonly passwordMinLength?: number;
  readonly country?: string;
  readonly smsAllowedCountries?: readonly string[];
  readonly requireTwoFactor?: boolean;
}

function validateCountries(changes: SettingsChanges): Record<string, string> {
  const fields: Record<string, string> = {};
  const countryIssue = changes.country === undefined ? undefined : countryProblem(changes.country);
  if (countryIssue) fields["country"] = countryIssue;
  const badAllowed = (changes.smsAllowedCountries ?? []).find((code) => countryProblem(code) !== undefined);
  if (badAllowed !== undefined) fields["smsAllowedCountries"] = `"${badAllowed}" is not ${countryProblem(badAllowed)}`;
  return fields;
}

export async function updateSettings(
  deps: { db: Kysely<Database>; clock: Clock; random: Random },
  accountId: string,
  actor: StaffPrincipal & { readonly recentlyAuthenticated?: boolean },
  changes: SettingsChanges,
  ip: string | null,
): Promise<AccountSettings> {
  if (!hasAdminAccess(actor)) throw new DomainError("forbidden", "Only Admin Access can change the settings.");
  const { passwordMinLength } = changes;
  const fields = validateCountries(changes);
  if (
    passwordMinLength !== undefined &&
    (passwordMinLength < ABSOLUTE_MIN_LENGTH || passwordMinLength > MAX_CONFIGURABLE_MIN_LENGTH)
  ) {
    fields["passwordMinLength"] = `must be from ${ABSOLUTE_MIN_LENGTH} to ${MAX_CONFIGURABLE_MIN_LENGTH}`;
  }
  if (Object.keys(fields).length > 0) throw new DomainError("validation_failed", undefined, { fields });

  return deps.db.transaction().execute(async (tx) => {
    const before = await findAccountById(tx, accountId);
    if (!before) throw new DomainError("not_found");
    // Turning two-step sign-in on or off is a security change: sudo mode (saving it unchanged isn't).
    if (changes.requireTwoFactor !== undefined && changes.requireTwoFactor !== (before.require_two_factor === 1)) {
      requireRecentAuthentication(
        { recentlyAuthenticated: actor.recentlyAuthenticated === true },
        "change two-factor sign-in",
      );
    }
    const now = deps.clock.now();
    await tx
      .updateTable("accounts")
      .set({
        ...(changes.smsVoiceEnabled !== undefined ? { sms_voice_enabled: changes.smsVoiceEnabled ? 1 : 0 } : {}),
        ...(changes.requireTwoFactor !== undefined ? { require_two_factor: changes.requireTwoFactor ? 1 : 0 } : {}),
        ...(passwordMinLength !== undefined ? { password_min_length: passwordMinLength } : {}),
        ...(changes.country !== undefined ? { country: changes.country } : {}),
        ...(changes.smsAllowedCountries !== undefined
          ? { sms_allowed_countries: JSON.stringify([...new Set(changes.smsAllowedCountries)]) }
          : {}),
        updated_at: now,
      })
      .where("id", "=", accountId)
      .execute();
    const after = await findAccountById(tx, accountId);
    const previous = toAccountSettings(before);
    const current = toAccountSettings(after ?? before);
    const changed = (Object.keys(changes) as Array<keyof SettingsChanges>).filter(
      (key) => JSON.stringify(previous[key]) !== JSON.stringify(current[key]),
    );
    if (changed.length > 0) {
      await recordAuditEvent(tx, deps, {
        accountId,
        source: "office_portal",
        actor: { type: "staff", id: actor.id, name: fullName(actor) },
        action: "settings.changed",
        target: null,
        ip,
        details: Object.fromEntries(changed.map((key) => [key, { from: previous[key], to: current[key] }])),
      });
    }
    return current;
  });
}
