/**
 * OpenID Connect Back-Channel Logout 1.0: telling an app, server to server, that a person signed
 * out. Queued through the outbox (messaging) in the transaction of the sign-out, so that it is
 * sent once the change commits, retried with the outbox's back-off while the app is down, and
 * delivered by whichever node's worker claims it.
 *
 * The logout token is made at delivery, signed with the key that is first then: a token signed
 * at queue time could outlive its key after a rotation. It carries `iss`, `aud` (the app),
 * `iat`, `exp` (2 minutes), `jti`, `sub` (the staff id), `sid` when one session is known, and the
 * back-channel logout event; never a `nonce` (spec §2.4).
 */
import { importJWK, SignJWT } from "jose";
import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.js";
import type { OidcSigningKey } from "../../config/config.js";
import type { Clock } from "../../shared/clock.js";
import { newToken, type Random } from "../../shared/random.js";
import {
  PermanentDeliveryError,
  enqueueBackchannelLogout,
  type EnqueueDeps,
  type MessageTransport,
} from "../messaging/index.js";
import { findClient } from "./oidc-clients.repository.js";

export const LOGOUT_TOKEN_LIFETIME_SECONDS = 120;
const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
/** How long an app may take to answer before the attempt counts as failed (and is retried). */
const DELIVERY_TIMEOUT_MS = 10_000;

/** What a queued logout says; the token is made from it at delivery. */
export interface LogoutNotice {
  readonly clientId: string;
  readonly sub: string;
  readonly sid?: string;
}

export async function queueLogoutNotice(
  tx: Executor,
  deps: EnqueueDeps,
  notice: LogoutNotice & { readonly accountId: string | null; readonly uri: string },
): Promise<void> {
  const body: LogoutNotice = {
    clientId: notice.clientId,
    sub: notice.sub,
    ...(notice.sid ? { sid: notice.sid } : {}),
  };
  await enqueueBackchannelLogout(tx, deps, { accountId: notice.accountId, to: notice.uri, body: JSON.stringify(body) });
}

export interface LogoutTokenDeps {
  readonly issuer: string;
  readonly signingKeys: readonly OidcSigningKey[];
  readonly clock: Clock;
  readonly random: Random;
}

export async function signLogoutToken(deps: LogoutTokenDeps, notice: LogoutNotice): Promise<string> {
  const [key] = deps.signingKeys;
  if (!key) throw new Error("no signing key");
  const privateKey = await importJWK(key as Parameters<typeof importJWK>[0], key.alg);
  const now = Math.floor(deps.clock.now() / 1000);
  return new SignJWT({
    ...(notice.sid ? { sid: notice.sid } : {}),
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "logout+jwt" })
    .setIssuer(deps.issuer)
    .setAudience(notice.clientId)
    .setSubject(notice.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + LOGOUT_TOKEN_LIFETIME_SECONDS)
    .setJti(newToken(deps.random, 16))
    .sign(privateKey);
}

/**
 * The outbox transport of the `backchannel_logout` channel: POSTs `logout_token=…` to the app.
 * 200 or 204 is delivered; another 4xx is final (the app refused this token, and the same token
 * again won't do better); no answer, a 5xx, 408 or 429 is retried.
 */
export function createBackchannelLogoutTransport(
  deps: LogoutTokenDeps & { readonly db: Kysely<Database> },
): MessageTransport {
  return {
    name: "backchannel-logout",
    async deliver(message) {
      const notice = JSON.parse(message.text) as LogoutNotice;
      // The app may have been deleted since: then there is nobody to tell.
      const client = await findClient(deps.db, notice.clientId);
      if (!client || client.backchannel_logout_uri !== message.to) {
        throw new PermanentDeliveryError("the app is no longer registered with this back-channel logout URI");
      }
      const token = await signLogoutToken(deps, notice);
      const response = await fetch(message.to, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ logout_token: token }).toString(),
        redirect: "manual",
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (response.status === 200 || response.status === 204) return { providerMessageId: null };
      const answer = `the app answered ${response.status}`;
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
        throw new PermanentDeliveryError(answer);
      }
      throw new Error(answer);
    },
  };
}
