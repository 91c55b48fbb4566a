/**
 * Email verification (API.md v2). An address a person types for themselves becomes their primary
 * email — the one that receives reset links — only once they open a link sent to it: single use,
 * 24 hours, the newest link superseding older ones. Until then the old address stays in force,
 * the new one is shown as pending, and the old one is told of the pending change. An address an
 * administrator sets takes effect at once (Admin Access in sudo mode answers for it) but counts
 * as unverified until its owner opens the link sent to it.
 *
 * ```mermaid
 * stateDiagram-v2
 *   [*] --> Pending: person types a new email (sudo mode)
 *   Pending --> Verified: link opened (email := pending)
 *   Pending --> Pending: typed again (older link revoked)
 *   Pending --> [*]: expired after 24 h (old email stays)
 * ```
 */
import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";
import { recordAuditEvent } from "../audit/index.js";
import { composeEmail, enqueueEmail, type EnqueueDeps } from "../messaging/index.js";
import {
  businessOfStaffToken,
  consumeStaffToken,
  findUsableStaffToken,
  issueStaffToken,
  revokeResetTokensOfStaff,
} from "../reset-tokens/index.js";
import { derivedColumns, fullName, normalizeLogin } from "./staff.js";
import { conflictFromUniqueViolation } from "./staff-fields.js";
import { lockStaffById, replaceSearchGrams, updateStaff } from "./staff.repository.js";
import type { StaffRow } from "./staff.table.js";

export const EMAIL_VERIFICATION_LIFETIME_SECONDS = 24 * 60 * 60;

export interface EmailVerificationDeps extends EnqueueDeps {
  readonly config: { readonly publicUrl: URL };
}

export function verificationLink(publicUrl: URL, token: string): string {
  return `${publicUrl.origin}/verify-email#token=${token}`;
}

/** Queues the verification link to `email`, in the caller's transaction. */
export async function sendEmailVerification(
  tx: Executor,
  deps: EmailVerificationDeps,
  input: { businessName: string; staff: StaffRow; email: string; setBy: "self" | "admin" },
): Promise<void> {
  const issued = await issueStaffToken(tx, deps, {
    accountId: input.staff.account_id,
    staffId: input.staff.id,
    purpose: "email_verification",
    lifetimeSeconds: EMAIL_VERIFICATION_LIFETIME_SECONDS,
    email: input.email,
  });
  await enqueueEmail(tx, deps, {
    accountId: input.staff.account_id,
    to: input.email,
    template: "email_verification",
    email: composeEmail({
      businessName: input.businessName,
      subject: `Confirm your email for ${input.businessName}'s Office Portal`,
      blocks: [
        { kind: "paragraph", text: `Hi ${input.staff.first_name},` },
        {
          kind: "paragraph",
          text:
            input.setBy === "self"
              ? `You asked to make this address the primary email of your Office Portal sign-in at ${input.businessName}. It takes effect, and password reset links come here, once you confirm it.`
              : `This address was set as the primary email of your Office Portal sign-in at ${input.businessName}. Please confirm that it is yours.`,
        },
        { kind: "facts", rows: [["Username", input.staff.username]] },
        { kind: "button", label: "Confirm this email", url: verificationLink(deps.config.publicUrl, issued.token) },
        {
          kind: "paragraph",
          text: "The link works once, for 24 hours. If you didn't ask for this, ignore this email: nothing changes.",
        },
      ],
    }),
  });
}

/** Tells the address in force that a change to another one is waiting for confirmation. */
export async function notifyPendingEmailChange(
  tx: Executor,
  deps: EnqueueDeps,
  input: { businessName: string; staff: StaffRow; pendingEmail: string; at: number },
): Promise<void> {
  if (!input.staff.email) return;
  await enqueueEmail(tx, deps, {
    accountId: input.staff.account_id,
    to: input.staff.email,
    template: "email_change_pending",
    email: composeEmail({
      businessName: input.businessName,
      subject: `A change of your email at ${input.businessName}'s Office Portal is pending`,
      blocks: [
        { kind: "paragraph", text: `Hi ${input.staff.first_name},` },
        {
          kind: "paragraph",
          text: `On ${new Date(input.at).toUTCString()} someone signed in as you asked to change the primary email of your Office Portal sign-in to ${input.pendingEmail}. Until that address is confirmed, this one stays in force and password reset links keep coming here.`,
        },
        {
          kind: "paragraph",
          text: `If this wasn't you, change your password at once and tell your manager or ${input.businessName}'s Business Owner.`,
        },
      ],
    }),
  });
}

/** Opens a verification link: the pending address becomes the primary email, verified. */
export async function completeEmailVerification(
  deps: EnqueueDeps & { readonly db: Kysely<Database> },
  token: string,
  request: { ip: string | null },
): Promise<void> {
  const now = deps.clock.now();
  // A link we issued names its business (for "Send me a new link"); an unknown token learns nothing.
  const invalid = async () => {
    const account = await businessOfStaffToken(deps.db, token, "email_verification");
    return new DomainError("verification_link_invalid", undefined, account ? { account } : undefined);
  };
  const row = await findUsableStaffToken(deps.db, token, "email_verification", now);
  if (!row?.email) throw await invalid();
  const email = row.email;
  try {
    await deps.db.transaction().execute(async (tx) => {
      if (!(await consumeStaffToken(tx, row.id, now))) throw new DomainError("verification_link_invalid");
      const staff = await lockStaffById(tx, row.account_id, row.staff_id);
      if (!staff || staff.status !== "active") throw new DomainError("verification_link_invalid");
      const isPending = staff.pending_email !== null && normalizeLogin(staff.pending_email) === normalizeLogin(email);
      const isCurrent = staff.email !== null && normalizeLogin(staff.email) === normalizeLogin(email);
      if (!isPending && !isCurrent) throw new DomainError("verification_link_invalid");
      const person = { type: "staff" as const, id: staff.id, name: fullName(staff) };
      if (isPending) {
        const derived = derivedColumns({ ...staff, email });
        await updateStaff(tx, staff.account_id, staff.id, {
          email,
          ...derived,
          pending_email: null,
          email_verified: 1,
          updated_at: now,
        });
        await replaceSearchGrams(tx, staff.account_id, [{ id: staff.id, ...derived }]);
        // Links sent to the old address die with it.
        await revokeResetTokensOfStaff(tx, staff.account_id, staff.id, now, "email");
      } else {
        await updateStaff(tx, staff.account_id, staff.id, { email_verified: 1, updated_at: now });
      }
      await recordAuditEvent(tx, deps, {
        accountId: staff.account_id,
        source: "office_portal",
        actor: person,
        action: "staff.email_verified",
        target: person,
        ip: request.ip,
        details: isPending ? { changes: { email: { from: staff.email, to: email } } } : { email },
      });
    });
  } catch (error) {
    if (error instanceof DomainError && error.code === "verification_link_invalid") throw await invalid();
    throw conflictFromUniqueViolation(error) ?? error;
  }
}
