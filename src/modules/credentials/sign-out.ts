import { recordAuditEvent } from "../audit/index.js";
import { endSession, runSignOutHook } from "../sessions/index.js";
import { fullName, type StaffPrincipal } from "../staff/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";

/** Ends this session server-side; the cookie alone would not be enough. */
export async function signOut(
  deps: Pick<CredentialsDeps, "db" | "clock" | "random">,
  account: AccountContext,
  staff: StaffPrincipal,
  sessionToken: string,
  request: RequestContext,
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    await endSession(tx, sessionToken);
    await runSignOutHook(tx, account.id, staff.id);
    await recordAuditEvent(tx, deps, {
      accountId: account.id,
      source: "office_portal",
      actor: { type: "staff", id: staff.id, name: fullName(staff) },
      action: "auth.signed_out",
      target: { type: "staff", id: staff.id, name: fullName(staff) },
      ip: request.ip,
    });
  });
}
