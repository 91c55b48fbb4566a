/**
 * Signing in with a passkey (API.md v2, "two-factor sign-in"): options, then the assertion.
 * `POST …/session/passkey-options` serves three ceremonies, told apart by the browser's cookies:
 *
 * ```mermaid
 * flowchart LR
 *   O[passkey-options] -->|a pending sign-in after the password| A["(a) second step: that person's passkeys"]
 *   O -->|no pending sign-in, a live session| C["(c) re-authentication: challenge on the session"]
 *   O -->|neither| B["(b) passwordless: a new pending sign-in with no person; any passkey of this site"]
 *   A --> P[session/passkey] --> S1["session, amr pwd,hwk"]
 *   B --> P --> S2["session, amr hwk"]
 *   C --> R["session/reauthenticate {passkey}"]
 * ```
 *
 * A passwordless sign-in holds every rule a password sign-in does: an inactive person is refused
 * with the same answer as a passkey that doesn't verify, a person who must change their password
 * is told so, and attempts meet growing delays per credential and per IP (passkeys.ts). The
 * pending sign-in is consumed by the session it becomes (second-step.ts, `finishSignIn`).
 */
import { DomainError } from "../../shared/errors.js";
import { sha256Hex } from "../../shared/hash.js";
import { recordAuditEvent } from "../audit/index.js";
import { findStaffById, fullName } from "../staff/index.js";
import {
  checkPasskey,
  createPendingSignIn,
  deleteExpiredPendingSignIns,
  findPendingSignIn,
  listPasskeys,
  passkeyRequestOptions,
  putPendingChallenge,
  putSessionChallenge,
  storedChallenge,
  takePendingChallenge,
  type AuthenticationResponseJSON,
  type PasskeyRequestOptions,
} from "../two-factor/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
import { expired, finishSignIn, pendingSignIn, type SignedIn } from "./second-step.js";
import type { BrowserCookies } from "./start-session.js";

/** What the browser holds: a pending sign-in's cookie, a live session of this business. */
export interface PasskeyBrowser {
  readonly pendingToken?: string | undefined;
  readonly session?: { readonly token: string; readonly staffId: string } | undefined;
}

export interface PasskeyOptionsResult {
  readonly options: PasskeyRequestOptions;
  /** A passwordless sign-in began: its token goes into the pending-sign-in cookie. */
  readonly pendingToken?: string;
}

const noPasskey = () =>
  new DomainError("conflict", "You have no passkey for this sign-in. Use another way to confirm it's you.");

/** Expired pending sign-ins swept by each new passwordless one. */
const SWEEP_BATCH = 20;

export async function passkeyOptions(
  deps: CredentialsDeps,
  account: AccountContext,
  browser: PasskeyBrowser,
  input: { readonly staySignedIn: boolean },
  request: RequestContext,
): Promise<PasskeyOptionsResult> {
  const now = deps.clock.now();
  const pending = browser.pendingToken
    ? await findPendingSignIn(deps.db, browser.pendingToken, account.id, now)
    : undefined;
  if (pending?.staff_id) {
    // (a) After the password: that person's passkeys.
    const { staff } = await pendingSignIn(deps, account, browser.pendingToken);
    const passkeys = await listPasskeys(deps.db, account.id, staff.id);
    if (passkeys.length === 0) throw noPasskey();
    const options = await passkeyRequestOptions(deps, passkeys);
    await putPendingChallenge(deps.db, pending.id_hash, options.challenge, now);
    return { options };
  }
  if (pending) {
    // (b) again: a passwordless sign-in under way asks for a fresh challenge.
    const options = await passkeyRequestOptions(deps, "discoverable");
    await putPendingChallenge(deps.db, pending.id_hash, options.challenge, now);
    return { options };
  }
  if (browser.session) {
    // (c) Re-authentication for sudo mode: the challenge waits on the session.
    const passkeys = await listPasskeys(deps.db, account.id, browser.session.staffId);
    if (passkeys.length === 0) throw noPasskey();
    const options = await passkeyRequestOptions(deps, passkeys);
    const owner = { idHash: sha256Hex(browser.session.token), accountId: account.id };
    await putSessionChallenge(deps.db, owner, options.challenge, now);
    return { options };
  }
  // (b) Passwordless: nobody is known yet. Anyone may ask, so an IP already slowed down by its
  // failures is refused here too, and each new row sweeps a few expired ones.
  const wait = await deps.loginThrottle.secondsToWait({ subject: "passkey:options", ip: request.ip ?? "unknown" });
  if (wait > 0) throw new DomainError("too_many_attempts", undefined, undefined, wait);
  const options = await passkeyRequestOptions(deps, "discoverable");
  await deleteExpiredPendingSignIns(deps.db, now, SWEEP_BATCH);
  const created = await createPendingSignIn(deps.db, deps, {
    accountId: account.id,
    staffId: null,
    staySignedIn: input.staySignedIn,
    enrollmentRequired: false,
    amr: [],
    challenge: storedChallenge(options.challenge, now),
  });
  return { options, pendingToken: created.token };
}

/** `POST …/session/passkey`: the assertion completes a second step (a) or a passwordless sign-in (b). */
export async function completePasskeySignIn(
  deps: CredentialsDeps,
  account: AccountContext,
  pendingToken: string | undefined,
  response: AuthenticationResponseJSON,
  request: RequestContext & BrowserCookies,
): Promise<SignedIn> {
  const pending = pendingToken
    ? await findPendingSignIn(deps.db, pendingToken, account.id, deps.clock.now())
    : undefined;
  if (!pending) throw expired();
  const takeChallenge = () => takePendingChallenge(deps.db, pending.id_hash, deps.clock.now());
  if (pending.staff_id) {
    const { staff } = await pendingSignIn(deps, account, pendingToken);
    const party = { type: "staff" as const, id: staff.id, name: fullName(staff) };
    await checkPasskey(
      deps,
      {
        accountId: account.id,
        person: { staffId: staff.id, party },
        takeChallenge,
        requireUserVerification: false,
        response,
      },
      request.ip,
    );
    return finishSignIn(deps, account, pending, "hwk", request);
  }
  const passkey = await checkPasskey(
    deps,
    {
      accountId: account.id,
      takeChallenge,
      // The passkey is the whole proof: the authenticator must have verified its user.
      requireUserVerification: true,
      response,
      ownerParty: async (staffId) => {
        const owner = await findStaffById(deps.db, account.id, staffId);
        return owner ? { type: "staff", id: owner.id, name: fullName(owner) } : null;
      },
    },
    request.ip,
  );
  const staff = await findStaffById(deps.db, account.id, passkey.staff_id);
  if (!staff || staff.status !== "active") {
    // The same answer as a passkey that didn't verify (SECURITY.md, "Login and throttling").
    const target = staff ? { type: "staff" as const, id: staff.id, name: fullName(staff) } : null;
    await recordAuditEvent(deps.db, deps, {
      accountId: account.id,
      source: "office_portal",
      actor: null,
      action: "auth.sign_in_failed",
      target,
      ip: request.ip,
      details: { reason: "inactive", method: "passkey" },
    });
    throw new DomainError("invalid_second_factor", "That passkey couldn't be used here. Try again or use another way.");
  }
  return finishSignIn(deps, account, pending, "hwk", request, staff.id);
}
