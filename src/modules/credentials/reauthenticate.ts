/**
 * Re-authentication for sudo mode (API.md v2): the signed-in person proves their password again,
 * and the session counts as recently authenticated for the next 10 minutes. The proof is
 * sign-in's evaluation with the person's own counters (prove-password.ts), or a second factor:
 * a code, a recovery code or a passkey.
 */
import { sha256Hex } from "../../shared/hash.js";
import { recordAuditEvent } from "../audit/index.js";
import { markSessionAuthenticated } from "../sessions/index.js";
import { fullName, type StaffPrincipal } from "../staff/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
import { proveCurrentPassword } from "./prove-password.js";
import {
  checkPasskey,
  checkSecondFactor,
  takeSessionChallenge,
  type AuthenticationResponseJSON,
  type SecondFactorInput,
} from "../two-factor/index.js";

export async function reauthenticate(
  deps: CredentialsDeps,
  session: { readonly token: string; readonly account: AccountContext; readonly staff: StaffPrincipal },
  input: { readonly password: string } | SecondFactorInput | { readonly passkey: AuthenticationResponseJSON },
  request: RequestContext,
): Promise<void> {
  const { account, staff } = session;
  const person = { type: "staff" as const, id: staff.id, name: fullName(staff) };
  // A second factor proves the person as well as the password does (API.md v2, sudo mode).
  let method: string;
  if ("password" in input) {
    await proveCurrentPassword(deps, account, staff, input.password, "reauthenticate", {
      ...request,
      session: { idHash: sha256Hex(session.token) },
    });
    method = "password";
  } else if ("passkey" in input) {
    // The challenge came from `POST …/session/passkey-options` with this session (passkey-sign-in.ts).
    const owner = { idHash: sha256Hex(session.token), accountId: account.id };
    await checkPasskey(
      deps,
      {
        accountId: account.id,
        person: { staffId: staff.id, party: person },
        takeChallenge: () => takeSessionChallenge(deps.db, owner, deps.clock.now()),
        requireUserVerification: false,
        response: input.passkey,
      },
      request.ip,
    );
    method = "passkey";
  } else {
    const party = { accountId: account.id, subject: `staff:${staff.id}`, party: person };
    method = await checkSecondFactor(deps, party, input, request.ip);
  }
  await deps.db.transaction().execute(async (tx) => {
    await markSessionAuthenticated(tx, session.token, deps.clock.now());
    await recordAuditEvent(tx, deps, {
      accountId: account.id,
      source: "office_portal",
      actor: person,
      action: "auth.reauthenticated",
      target: person,
      ip: request.ip,
      details: { method },
    });
  });
}
