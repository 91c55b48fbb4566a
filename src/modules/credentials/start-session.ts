/**
 * The end of every successful sign-in, whatever proved it (a password alone, a password and a
 * code, a passkey): in the caller's transaction, the session the browser held ends, a new one
 * begins with the methods used (RFC 8176 `amr`), the browser becomes trusted for the person, and
 * the sign-in is audited.
 *
 * When the session that ends is someone else's (a shared desk: B signs in where A was), A is
 * signed out as `signOut` would: the sign-out hook ends A's sign-ins to apps too. Not when the
 * person signs in again over their own session (an app asked for a fresh sign-in).
 */
import type { Executor } from "../../db/database.js";
import { recordAuditEvent, type AuditParty } from "../audit/index.js";
import {
  createSession,
  endSession,
  resolveSessionOfAnyAccount,
  runSignOutHook,
  trustBrowser,
  type NewSession,
} from "../sessions/index.js";
import type { CredentialsDeps, RequestContext } from "./credentials.deps.js";

export interface BrowserCookies {
  /** The session the browser may already hold (anyone's): it ends. */
  readonly sessionToken?: string | undefined;
  /** The browser's trusted-browser id, replaced by a fresh one. */
  readonly browserToken?: string | undefined;
}

export interface StartedSession {
  readonly session: NewSession;
  readonly browser: { readonly token: string; readonly maxAgeSeconds: number };
}

export async function startSession(
  tx: Executor,
  deps: Pick<CredentialsDeps, "clock" | "random">,
  input: {
    readonly accountId: string;
    readonly staffId: string;
    readonly person: AuditParty;
    readonly staySignedIn: boolean;
    readonly amr: readonly string[];
    readonly details?: Readonly<Record<string, unknown>>;
  },
  request: RequestContext & BrowserCookies,
): Promise<StartedSession> {
  if (request.sessionToken) {
    const replaced = await resolveSessionOfAnyAccount(tx, deps, request.sessionToken);
    await endSession(tx, request.sessionToken);
    if (replaced && replaced.staff.id !== input.staffId) {
      await runSignOutHook(tx, replaced.account.id, replaced.staff.id);
    }
  }
  const session = await createSession(tx, deps, {
    accountId: input.accountId,
    staffId: input.staffId,
    staySignedIn: input.staySignedIn,
    ip: request.ip,
    userAgent: request.userAgent,
    amr: input.amr,
  });
  const browser = await trustBrowser(tx, deps, {
    accountId: input.accountId,
    staffId: input.staffId,
    replacing: request.browserToken,
  });
  await recordAuditEvent(tx, deps, {
    accountId: input.accountId,
    source: "office_portal",
    actor: input.person,
    action: "auth.signed_in",
    target: input.person,
    ip: request.ip,
    details: { staySignedIn: input.staySignedIn, methods: input.amr, ...input.details },
  });
  return { session, browser };
}
