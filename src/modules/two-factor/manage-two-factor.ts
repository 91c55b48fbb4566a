/**
 * Enrolling, removing and resetting second factors (API.md v2, "two-factor sign-in"). Every
 * change is audited in the transaction that makes it, and tells the person by email; an admin's
 * reset tells every Admin Access member too.
 */
import QRCode from "qrcode";
import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { DomainError } from "../../shared/errors.js";
import type { Random } from "../../shared/random.js";
import type { SecretBox } from "../../shared/secret-box.js";
import { recordAuditEvent, type AuditParty } from "../audit/index.js";
import { composeEmail, enqueueEmail, type EnqueueDeps } from "../messaging/index.js";
import { clearAttempts } from "../throttling/index.js";
import {
  requireAdminAccess,
  requireOwnerProtection,
  requireRecentAuthentication,
  type Party,
} from "../permissions/index.js";
import { RECOVERY_CODE_COUNT, hashRecoveryCode, newRecoveryCode } from "./recovery-codes.js";
import { clearSecondFactorAttempts, secondFactorCapSubject } from "./second-factor.js";
import { groupedSecret, matchTotpStep, newTotpSecret, totpUri } from "./totp.js";
import { openTotpSecret, sealTotpSecret } from "./totp-secrets.js";
import {
  acceptTotpStep,
  deletePasskeysOfStaff,
  deleteRecoveryCodes,
  deleteTotpFactor,
  findTotpFactor,
  listPasskeys,
  lockFactorsOf,
  replaceRecoveryCodes,
} from "./two-factor.repository.js";

export interface ManageTwoFactorDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly random: Random;
  readonly secretBox: SecretBox;
  readonly notifyOutbox: () => void;
}

/** The person whose factors change, with what the emails and the audit log need. */
export interface FactorOwner {
  readonly accountId: string;
  readonly accountName: string;
  readonly staffId: string;
  readonly username: string;
  readonly firstName: string;
  readonly email: string | null;
  readonly party: AuditParty;
}

export interface TotpEnrolment {
  /** Base32, in groups of four: for typing into the app by hand. */
  readonly secret: string;
  readonly otpauthUri: string;
  /** The QR code of `otpauthUri`, as SVG markup. */
  readonly qrSvg: string;
}

const subjectOf = (person: { staffId: string }) => `staff:${person.staffId}`;

function factorEmail(person: FactorOwner, subject: string, text: string) {
  return composeEmail({
    businessName: person.accountName,
    subject,
    blocks: [
      { kind: "paragraph", text: `Hi ${person.firstName},` },
      { kind: "paragraph", text },
      { kind: "facts", rows: [["Username", person.username]] },
      {
        kind: "paragraph",
        text: `If this wasn't you, tell your manager or ${person.accountName}'s Business Owner at once.`,
      },
    ],
  });
}

/** Emails the person that their sign-in's factors changed (passkeys too: manage-passkeys.ts). */
export async function tellPerson(tx: Executor, deps: EnqueueDeps, person: FactorOwner, subject: string, text: string) {
  if (!person.email) return;
  await enqueueEmail(tx, deps, {
    accountId: person.accountId,
    to: person.email,
    template: "two_factor_changed",
    email: factorEmail(person, subject, text),
  });
}

/**
 * Starts (or restarts) enrolling an authenticator app for `subject` (`staff:<id>`, `agent:<id>`):
 * a new secret, sealed, waiting for its first code; nothing is in force until then.
 */
export async function beginTotp(
  deps: Pick<ManageTwoFactorDeps, "db" | "clock" | "random" | "secretBox">,
  factor: { subject: string; accountId: string | null; issuer: string; label: string },
): Promise<TotpEnrolment> {
  const { subject } = factor;
  const existing = await findTotpFactor(deps.db, subject);
  if (existing && existing.confirmed_at !== null) {
    throw new DomainError("conflict", "An authenticator app is already set up. Remove it first to set up another.");
  }
  const secret = newTotpSecret(deps.random);
  await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock.now();
    await tx.deleteFrom("totp_factors").where("subject", "=", subject).where("confirmed_at", "is", null).execute();
    await tx
      .insertInto("totp_factors")
      .values({
        subject,
        account_id: factor.accountId,
        sealed_secret: sealTotpSecret(deps.secretBox, subject, secret),
        confirmed_at: null,
        last_used_step: null,
        created_at: now,
      })
      .execute();
  });
  const otpauthUri = totpUri(secret, factor.issuer, factor.label);
  const qrSvg = await QRCode.toString(otpauthUri, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  return { secret: groupedSecret(secret), otpauthUri, qrSvg };
}

/**
 * The first code of an enrolment, in the caller's transaction: confirms the factor (the code's
 * step is accepted once, like any code), or throws `invalid_second_factor`.
 */
export async function confirmTotp(
  tx: Executor,
  deps: Pick<ManageTwoFactorDeps, "clock" | "secretBox">,
  subject: string,
  code: string,
): Promise<void> {
  const factor = await findTotpFactor(tx, subject);
  if (!factor || factor.confirmed_at !== null) {
    throw new DomainError("conflict", "There is no authenticator app waiting to be confirmed. Start again.");
  }
  const now = deps.clock.now();
  const step = matchTotpStep(openTotpSecret(deps.secretBox, factor), code, now);
  if (step === undefined || !(await acceptTotpStep(tx, subject, step, now, true))) {
    throw new DomainError("invalid_second_factor", "That code didn't work. Check the app's code and try again.");
  }
}

/** Starts enrolling a staff member's authenticator app. */
export async function startTotpEnrolment(deps: ManageTwoFactorDeps, person: FactorOwner): Promise<TotpEnrolment> {
  return beginTotp(deps, {
    subject: subjectOf(person),
    accountId: person.accountId,
    issuer: `${person.accountName} (Staffgate)`,
    label: person.username,
  });
}

function newRecoveryCodes(deps: { random: Random }): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode(deps.random));
}

/** The first code confirms the app; ten recovery codes come back, shown this once. */
export async function confirmTotpEnrolment(
  deps: ManageTwoFactorDeps,
  person: FactorOwner,
  code: string,
  ip: string | null,
): Promise<{ recoveryCodes: string[] }> {
  const recoveryCodes = newRecoveryCodes(deps);
  await deps.db.transaction().execute(async (tx) => {
    await confirmTotp(tx, deps, subjectOf(person), code);
    const now = deps.clock.now();
    await replaceRecoveryCodes(tx, deps, {
      accountId: person.accountId,
      staffId: person.staffId,
      codeHashes: recoveryCodes.map(hashRecoveryCode),
      now,
    });
    await recordAuditEvent(tx, deps, {
      accountId: person.accountId,
      source: "office_portal",
      actor: person.party,
      action: "two_factor.totp_enrolled",
      target: person.party,
      ip,
      details: { recoveryCodes: RECOVERY_CODE_COUNT },
    });
    await tellPerson(
      tx,
      deps,
      person,
      `An authenticator app was added to your ${person.accountName} sign-in`,
      "An authenticator app was just set up as the second step of your Office Portal sign-in.",
    );
  });
  await clearSecondFactorAttempts(deps.db, person.staffId);
  deps.notifyOutbox();
  return { recoveryCodes };
}

/** Removes one's own authenticator app (sudo mode), unless the business requires it and it's the last factor. */
export async function removeOwnTotp(
  deps: ManageTwoFactorDeps,
  actor: {
    readonly person: FactorOwner;
    readonly recentlyAuthenticated: boolean;
    readonly businessRequiresIt: boolean;
  },
  ip: string | null,
): Promise<void> {
  requireRecentAuthentication(actor, "remove your authenticator app");
  const { person } = actor;
  await deps.db.transaction().execute(async (tx) => {
    await lockFactorsOf(tx, person.accountId, person.staffId);
    const passkeys = await listPasskeys(tx, person.accountId, person.staffId);
    if (actor.businessRequiresIt && passkeys.length === 0) throw new DomainError("two_factor_required");
    if ((await deleteTotpFactor(tx, subjectOf(person))) === 0)
      throw new DomainError("not_found", "There is no authenticator app to remove.");
    // Recovery codes stand in for a lost factor: with none left, they go too.
    if (passkeys.length === 0) await deleteRecoveryCodes(tx, person.accountId, person.staffId);
    await recordAuditEvent(tx, deps, {
      accountId: person.accountId,
      source: "office_portal",
      actor: person.party,
      action: "two_factor.totp_removed",
      target: person.party,
      ip,
    });
    await tellPerson(
      tx,
      deps,
      person,
      `The authenticator app was removed from your ${person.accountName} sign-in`,
      "The authenticator app was just removed from your Office Portal sign-in.",
    );
  });
  deps.notifyOutbox();
}

/** New recovery codes replace the old ones (sudo mode). */
export async function regenerateRecoveryCodes(
  deps: ManageTwoFactorDeps,
  actor: { readonly person: FactorOwner; readonly recentlyAuthenticated: boolean },
  ip: string | null,
): Promise<{ recoveryCodes: string[] }> {
  requireRecentAuthentication(actor, "make new recovery codes");
  const { person } = actor;
  const factor = await findTotpFactor(deps.db, subjectOf(person));
  const passkeys = await listPasskeys(deps.db, person.accountId, person.staffId);
  if ((!factor || factor.confirmed_at === null) && passkeys.length === 0) {
    throw new DomainError(
      "conflict",
      "Set up an authenticator app or a passkey first: recovery codes stand in for them.",
    );
  }
  const recoveryCodes = newRecoveryCodes(deps);
  await deps.db.transaction().execute(async (tx) => {
    await replaceRecoveryCodes(tx, deps, {
      accountId: person.accountId,
      staffId: person.staffId,
      codeHashes: recoveryCodes.map(hashRecoveryCode),
      now: deps.clock.now(),
    });
    await recordAuditEvent(tx, deps, {
      accountId: person.accountId,
      source: "office_portal",
      actor: person.party,
      action: "two_factor.recovery_codes_regenerated",
      target: person.party,
      ip,
    });
    await tellPerson(
      tx,
      deps,
      person,
      `New recovery codes for your ${person.accountName} sign-in`,
      "New recovery codes were just made for your Office Portal sign-in; the old ones no longer work.",
    );
  });
  deps.notifyOutbox();
  return { recoveryCodes };
}

/**
 * Lost phone: every second factor of a person removed, by Admin Access in sudo mode (the
 * owner's only by the owner) or by vendor support delivering an approved recovery case. The
 * person and every Admin Access member are told. Runs in the caller's transaction.
 */
export async function removeAllSecondFactors(
  tx: Executor,
  deps: Omit<ManageTwoFactorDeps, "db">,
  target: FactorOwner,
  by: {
    readonly party: AuditParty;
    readonly source: "office_portal" | "support";
    readonly ip: string | null;
    readonly admins: readonly { email: string | null; first_name: string }[];
    readonly details?: Record<string, unknown>;
    /** False when the caller sends its own notices (vendor support's recovery). */
    readonly notify?: boolean;
  },
): Promise<{ removed: { totp: number; passkeys: number; recoveryCodes: number } }> {
  const removed = {
    totp: await deleteTotpFactor(tx, subjectOf(target)),
    passkeys: await deletePasskeysOfStaff(tx, target.accountId, target.staffId),
    recoveryCodes: await deleteRecoveryCodes(tx, target.accountId, target.staffId),
  };
  // A code guessed at before the reset counts no more against the new factor.
  await clearAttempts(tx, secondFactorCapSubject(target.staffId));
  await recordAuditEvent(tx, deps, {
    accountId: target.accountId,
    source: by.source,
    actor: by.party,
    action: "two_factor.reset",
    target: target.party,
    ip: by.ip,
    details: { removed, ...by.details },
  });
  if (by.notify !== false) await notifyReset(tx, deps, target, by);
  return { removed };
}

/** Admin Access (sudo mode) resets another person's two-factor; the owner's only by the owner. */
export function requireMayResetTwoFactor(
  actor: Party & { readonly recentlyAuthenticated: boolean },
  target: Party,
): void {
  requireAdminAccess(actor, "reset someone's two-factor sign-in");
  requireOwnerProtection(actor, target);
  requireRecentAuthentication(actor, "reset someone's two-factor sign-in");
}

async function notifyReset(
  tx: Executor,
  deps: EnqueueDeps,
  target: FactorOwner,
  by: { readonly party: AuditParty; readonly admins: readonly { email: string | null; first_name: string }[] },
): Promise<void> {
  const text = `Every second step of ${target.party.name ?? target.username}'s Office Portal sign-in was removed by ${by.party.name ?? "vendor support"}. They will set one up again at their next sign-in if the business requires it.`;
  await tellPerson(
    tx,
    { ...deps },
    target,
    `Two-factor sign-in was reset for ${target.party.name ?? target.username}`,
    text,
  );
  for (const admin of by.admins) {
    if (!admin.email || admin.email === target.email) continue;
    await enqueueEmail(tx, deps, {
      accountId: target.accountId,
      to: admin.email,
      template: "two_factor_reset_admin",
      email: composeEmail({
        businessName: target.accountName,
        subject: `Two-factor sign-in was reset for ${target.party.name ?? target.username}`,
        blocks: [
          { kind: "paragraph", text: `Hi ${admin.first_name},` },
          { kind: "paragraph", text },
        ],
      }),
    });
  }
}
