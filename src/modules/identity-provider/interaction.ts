/**
 * The identity provider's sign-in is Staffgate's own: oidc-provider sends the browser to
 * `/oidc/interaction/{uid}`, and this decides where it goes next.
 *
 * ```mermaid
 * flowchart TD
 *   I[/oidc/interaction/uid] --> B{which business?\naccount_hint, else the portal session's}
 *   B -- none named, no session --> L[landing page: name your business\n?continue=/oidc/interaction/uid]
 *   B -- unknown account_hint --> E[error page]
 *   B -- known --> S{portal session of that business,\nfully signed in, no forced change,\nfresh enough?}
 *   S -- no --> P[/a/slug/login?continue=/oidc/interaction/uid]
 *   P -- signed in, back here --> I
 *   S -- yes --> F[finish: login = the staff id, amr, auth_time;\nback to oidc-provider, which issues the code]
 * ```
 *
 * "Fresh enough" is decided here, on the server (`isFreshEnough`): with `prompt=login` the portal
 * session must have been authenticated after this interaction began; with `max_age`, within that
 * many seconds of now. An older sign-in, however valid, is sent back to the sign-in page.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Kysely } from "kysely";
import type Provider from "oidc-provider";
import type { InteractionDetails, InteractionResults } from "oidc-provider";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import type { Random } from "../../shared/random.js";
import { findAccountBySlug, isValidSlug } from "../accounts/index.js";
import { recordAuditEvent } from "../audit/index.js";
import { resolveSessionOfAnyAccount, type ResolvedSession } from "../sessions/index.js";
import { fullName } from "../staff/index.js";
import { findClient } from "./oidc-clients.repository.js";
import { findActivePerson, findSessionMethods } from "./people.repository.js";
import { INTERACTION_PATH_PREFIX } from "./provider.js";

export interface InteractionDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly random: Random;
}

export type InteractionStep =
  | { readonly kind: "redirect"; readonly location: string }
  /** No such interaction (expired, or another browser's), or it names an unknown business. */
  | { readonly kind: "failed" };

/** Where a person goes to sign in (or name their business first) and then comes back. */
export function signInAddress(slug: string | undefined, uid: string): string {
  const back = `continue=${encodeURIComponent(`${INTERACTION_PATH_PREFIX}${uid}`)}`;
  return slug ? `/a/${encodeURIComponent(slug)}/login?${back}` : `/?${back}`;
}

export async function continueInteraction(
  deps: InteractionDeps,
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  request: { readonly uid: string; readonly portalToken: string | undefined; readonly ip: string | null },
): Promise<InteractionStep> {
  let details = await interactionDetailsOf(provider, req, res);
  if (!details && (await detachEndedSession(deps, provider, request.uid))) {
    details = await interactionDetailsOf(provider, req, res);
  }
  if (!details) return { kind: "failed" };
  const hint = details.params.account_hint;
  if (
    hint !== undefined &&
    (typeof hint !== "string" || !isValidSlug(hint) || !(await findAccountBySlug(deps.db, hint)))
  ) {
    return { kind: "failed" };
  }
  const portal = request.portalToken ? await resolveSessionOfAnyAccount(deps.db, deps, request.portalToken) : undefined;
  const sessionPerson = details.session?.accountId
    ? await findActivePerson(deps.db, details.session.accountId)
    : undefined;
  const slug = hint ?? portal?.account.slug ?? sessionPerson?.accountSlug;
  if (!slug) return { kind: "redirect", location: signInAddress(undefined, details.uid) };
  if (
    !portal ||
    portal.account.slug !== slug ||
    !isSignedInFully(portal) ||
    !isFreshEnough(portal, details, deps.clock.now())
  ) {
    return { kind: "redirect", location: signInAddress(slug, details.uid) };
  }
  const result: InteractionResults =
    details.prompt.name === "consent" && details.session?.accountId === portal.staff.id
      ? { consent: { grantId: await grantRequestedScopes(provider, details, portal.staff.id) } }
      : await signedIn(deps, details, portal, request.ip);
  const location = await provider.interactionResult(req, res, result, { mergeWithLastSubmission: false });
  return { kind: "redirect", location };
}

async function interactionDetailsOf(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<InteractionDetails | undefined> {
  try {
    return await provider.interactionDetails(req, res);
  } catch {
    return undefined;
  }
}

/**
 * The provider session an interaction began in can be gone before it finishes: signing in over
 * someone else's portal session signs them out, their provider sessions too (start-session.ts).
 * oidc-provider would refuse the interaction then ("session not found"); it goes on without that
 * session instead, as oidc-provider itself lets it when the person changes, and the sign-in
 * step decides who it is from the portal session alone. Only for a session that no longer exists.
 */
async function detachEndedSession(deps: InteractionDeps, provider: Provider, uid: string): Promise<boolean> {
  const interaction = await provider.Interaction.find(uid).catch(() => undefined);
  const sessionUid = interaction?.session?.uid;
  if (!interaction?.session || !sessionUid || (await provider.Session.findByUid(sessionUid))) return false;
  const ttlSeconds = interaction.exp - Math.floor(deps.clock.now() / 1000);
  if (ttlSeconds <= 0) return false;
  delete interaction.session.uid;
  await interaction.save(ttlSeconds);
  return true;
}

function isSignedInFully(portal: ResolvedSession): boolean {
  return portal.staff.must_change_password !== 1;
}

/**
 * `prompt=login` wants a sign-in made after this request began. `max_age` wants one made within
 * the last `max_age` seconds, whenever that was: oidc-provider lists it as failed whenever it has
 * no session of its own (a new browser session, a portal sign-in made just before), so its reason
 * alone says nothing; the portal session's own time decides. A sign-in made during this
 * interaction satisfies both (`max_age=0` included).
 */
export function isFreshEnough(
  portal: Pick<ResolvedSession, "authenticatedAt">,
  details: Pick<InteractionDetails, "iat" | "params" | "prompt">,
  nowMs: number,
): boolean {
  // `iat` counts whole seconds: a sign-in counts only from the next second on, so one made
  // earlier within the same second is never taken for a fresh one.
  const signedInDuringThisRequest = portal.authenticatedAt >= (details.iat + 1) * 1000;
  if (signedInDuringThisRequest) return true;
  if (details.prompt.reasons.includes("login_prompt")) return false;
  const maxAgeSeconds = Number(details.params["max_age"]);
  if (details.params["max_age"] === undefined || !Number.isSafeInteger(maxAgeSeconds) || maxAgeSeconds < 0) {
    return true;
  }
  return portal.authenticatedAt >= nowMs - maxAgeSeconds * 1000;
}

/** The login result: the person, how and when they proved it; recorded in the audit log. */
async function signedIn(
  deps: InteractionDeps,
  details: InteractionDetails,
  portal: ResolvedSession,
  ip: string | null,
): Promise<InteractionResults> {
  const clientId = typeof details.params.client_id === "string" ? details.params.client_id : "";
  const client = await findClient(deps.db, clientId);
  const person = { type: "staff", id: portal.staff.id, name: fullName(portal.staff) } as const;
  await recordAuditEvent(deps.db, deps, {
    accountId: portal.account.id,
    source: "office_portal",
    actor: person,
    action: "oidc.signed_in",
    target: person,
    ip,
    details: { clientId, app: client?.name ?? null },
  });
  return {
    login: {
      accountId: portal.staff.id,
      amr: await findSessionMethods(deps.db, portal.idHash),
      ts: Math.floor(portal.authenticatedAt / 1000),
      // The provider's cookie lasts as long as the browser; the portal session decides beyond that.
      remember: false,
    },
  };
}

/** `prompt=consent`: the vendor's own apps get what they ask for (provider.ts, file header). */
async function grantRequestedScopes(provider: Provider, details: InteractionDetails, staffId: string): Promise<string> {
  const clientId = String(details.params.client_id);
  let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  if (grant && (grant.accountId !== staffId || grant.clientId !== clientId)) grant = undefined;
  grant ??= new provider.Grant({ accountId: staffId, clientId });
  grant.addOIDCScope(typeof details.params["scope"] === "string" ? details.params["scope"] : "openid");
  return grant.save();
}
