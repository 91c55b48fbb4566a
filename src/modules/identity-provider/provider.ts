/**
 * Staffgate's OpenID Provider: oidc-provider (panva, OpenID Certified) configured for the
 * vendor's own apps (docs/identity-provider.md, API.md v2 "identity provider").
 *
 * - Authorization Code with PKCE (S256) for every app, response type `code` only: no implicit or
 *   hybrid flows, no dynamic registration, no device flow, no PAR, no DPoP, no resource
 *   indicators. Refresh tokens rotate at each use; reusing a rotated one revokes the grant.
 * - Asymmetric signatures only (RS256, PS256, ES256, EdDSA). HS* is off, so a client secret is
 *   never used as a key, which is what lets Staffgate keep only its hash (`compareClientSecret`).
 * - The sign-in is Staffgate's own (interaction.ts); the provider's session is good only while
 *   the portal session behind it is, for the same person and the business the request names.
 * - No consent screen: every app is the vendor's own, registered by the vendor, so the scopes it
 *   asks for (within `openid profile email staffgate`) are granted (`loadExistingGrant`).
 * - Sign-outs reach apps through the outbox (sign-out-everywhere.ts, backchannel-logout.ts),
 *   never straight from a request, and RP-initiated logout ends the portal session too.
 */
import type { IncomingMessage } from "node:http";
import type { Kysely } from "kysely";
import Provider, { interactionPolicy, type Adapter, type Grant, type KoaContext, type OidcClient } from "oidc-provider";
import type { Config, OidcSigningKey } from "../../config/config.js";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import type { Random } from "../../shared/random.js";
import type { SecretBox } from "../../shared/secret-box.js";
import { signOut } from "../credentials/index.js";
import { resolveSessionOfAnyAccount } from "../sessions/index.js";
import { createModelAdapter } from "./adapter.js";
import { queueLogoutNotice } from "./backchannel-logout.js";
import { CLAIMS_BY_SCOPE, SCOPES, personClaims } from "./claims.js";
import { clientMetadata } from "./client-metadata.js";
import { clientSecretMatches } from "./clients.js";
import { errorPage, logoutPage, signedOutPage } from "./pages.js";
import { findActivePerson } from "./people.repository.js";
import { requestContextOf } from "./request-context.js";
import { cookieKeys } from "./signing-keys.js";

/** Where oidc-provider is mounted; the issuer is `{PUBLIC_URL}/oidc`. */
export const OIDC_MOUNT_PATH = "/oidc";
export const INTERACTION_PATH_PREFIX = `${OIDC_MOUNT_PATH}/interaction/`;

const MINUTE = 60;
const DAY = 24 * 60 * MINUTE;
/** Lifetimes: codes and access/ID tokens are short; a refresh token lives a day from its last use. */
export const TTL = {
  AuthorizationCode: MINUTE,
  AccessToken: 10 * MINUTE,
  IdToken: 10 * MINUTE,
  RefreshToken: DAY,
  Interaction: 15 * MINUTE,
  /** As long as "Stay signed in" at most: the portal session decides sooner. */
  Session: 30 * DAY,
  Grant: 30 * DAY,
} as const;
/** A refresh token chain stops rotating (and so ends within a day) after this long. */
const REFRESH_CHAIN_MAX_SECONDS = 30 * DAY;

const ASYMMETRIC_ALGS = ["RS256", "PS256", "ES256", "EdDSA"];

export interface IdentityProviderDeps {
  readonly config: Pick<Config, "publicUrl">;
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly random: Random;
  readonly secretBox: SecretBox;
  readonly signingKeys: readonly OidcSigningKey[];
  readonly notifyOutbox: () => void;
  readonly onError: (error: unknown, context: string) => void;
}

export function issuerOf(publicUrl: URL): string {
  return new URL(OIDC_MOUNT_PATH, publicUrl).href;
}

export function createProvider(deps: IdentityProviderDeps): Provider {
  const issuer = issuerOf(deps.config.publicUrl);
  const adapterDeps = { db: deps.db, clock: deps.clock, secretBox: deps.secretBox };
  const clientAdapter: Adapter = {
    find: async (id) => clientMetadata(deps.db, id),
    upsert: async () => {
      throw new Error("apps are registered with the CLI only");
    },
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    consume: async () => undefined,
    destroy: async () => undefined,
    revokeByGrantId: async () => undefined,
  };
  const firstAlg = deps.signingKeys[0]?.alg ?? "RS256";
  const signingAlgs = [...new Set(deps.signingKeys.map((key) => key.alg))];

  const policy = interactionPolicy.base();
  policy
    .get("login")
    ?.checks.add(
      new interactionPolicy.Check(
        "staffgate_session",
        "the Staffgate sign-in behind this session is gone, is someone else's, or is of another business",
        "login_required",
        async (ctx) => !(await portalSessionStillHolds(ctx)),
      ),
    );

  /**
   * The provider's session stands only on a live portal session in this browser: of the same
   * person, fully signed in (no second step or forced password change pending), and of the
   * business the request names with `account_hint`, when it names one.
   */
  async function portalSessionStillHolds(ctx: KoaContext): Promise<boolean> {
    const accountId = ctx.oidc.session.accountId;
    const token = requestContextOf(ctx.req)?.portalToken;
    if (!accountId || !token) return false;
    const portal = await resolveSessionOfAnyAccount(deps.db, deps, token);
    if (!portal || portal.staff.id !== accountId || portal.staff.must_change_password === 1) return false;
    const hint = ctx.oidc.params.account_hint;
    return hint === undefined || hint === portal.account.slug;
  }

  /** This browser's portal session is still live and of the provider session's person. */
  async function portalSessionOfSameHolds(ctx: KoaContext): Promise<boolean> {
    const accountId = ctx.oidc.session.accountId;
    const token = requestContextOf(ctx.req)?.portalToken;
    if (!accountId || !token) return false;
    return (await resolveSessionOfAnyAccount(deps.db, deps, token))?.staff.id === accountId;
  }

  const provider = new Provider(issuer, {
    adapter: (name: string) => (name === "Client" ? clientAdapter : createModelAdapter(adapterDeps, name)),
    clients: [],
    jwks: { keys: deps.signingKeys },
    cookies: {
      names: {
        session: "staffgate_oidc_session",
        interaction: "staffgate_oidc_interaction",
        resume: "staffgate_oidc_resume",
      },
      // Only the provider's own paths get its session cookie: not the apps served beside
      // Staffgate behind a forward-auth proxy, nor the portal. The short-lived interaction and
      // resume cookies already carry paths of their own under /oidc (one per sign-in, so two
      // tabs signing in at once keep theirs), which a `short.path` would replace.
      long: { httpOnly: true, sameSite: "lax", path: OIDC_MOUNT_PATH },
      short: { httpOnly: true, sameSite: "lax" },
      keys: cookieKeys(deps.signingKeys),
    },
    scopes: [...SCOPES],
    // `amr` rides with `openid`, so every ID token says how the person signed in.
    claims: { ...CLAIMS_BY_SCOPE, openid: ["sub", "amr"], acr: null, auth_time: null, sid: null, iss: null },
    // The ID token carries the claims of its scopes, not only `sub` (API.md: ID token and userinfo).
    conformIdTokenClaims: false,
    extraParams: ["account_hint"],
    responseTypes: ["code"],
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "none"],
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: firstAlg,
    },
    enabledJWA: {
      clientAuthSigningAlgValues: ASYMMETRIC_ALGS,
      idTokenSigningAlgValues: signingAlgs,
      requestObjectSigningAlgValues: ASYMMETRIC_ALGS,
      userinfoSigningAlgValues: signingAlgs,
      introspectionSigningAlgValues: signingAlgs,
      authorizationSigningAlgValues: signingAlgs,
    },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true, allowedPolicy: introspectionAllowed },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContext, form: string) => {
          ctx.type = "html";
          ctx.body = logoutPage(form, ctx.oidc.client?.clientName);
        },
        postLogoutSuccessSource: async (ctx: KoaContext) => {
          ctx.type = "html";
          ctx.body = signedOutPage();
        },
      },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
      dPoP: { enabled: false },
    },
    // Each rotation starts a new day; a chain stops rotating after 30 days (`rotateRefreshToken`).
    ttl: { ...TTL },
    issueRefreshToken: async (_ctx: KoaContext, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: (ctx: KoaContext) => {
      const token = ctx.oidc.entities["RefreshToken"] as { totalLifetime(): number };
      return token.totalLifetime() < REFRESH_CHAIN_MAX_SECONDS;
    },
    loadExistingGrant: async (ctx: KoaContext) => grantForRequest(provider, ctx, () => portalSessionOfSameHolds(ctx)),
    findAccount: async (_ctx: KoaContext, sub: string) => {
      const person = await findActivePerson(deps.db, sub);
      if (!person) return undefined;
      return { accountId: sub, claims: async () => personClaims(person) };
    },
    interactions: {
      policy,
      url: async (_ctx: KoaContext, interaction: { uid: string }) => `${INTERACTION_PATH_PREFIX}${interaction.uid}`,
    },
    clientBasedCORS: (_ctx: KoaContext, origin: string, client: OidcClient) =>
      client.redirectUris.some((uri) => new URL(uri).origin === origin),
    renderError: async (ctx: KoaContext, out: { error?: string; error_description?: string }) => {
      ctx.type = "html";
      ctx.body = errorPage(out.error_description ? `${out.error ?? "error"}: ${out.error_description}` : out.error);
    },
  });
  // Every node sees the client's address through the app's own proxy settings: the HTTP layer
  // rewrites X-Forwarded-* from PUBLIC_URL and Fastify's `request.ip` before handing requests
  // over (identity-provider.routes.ts), so nothing the client sent is believed.
  provider.proxy = true;

  // The stored "secret" is a SHA-256; the presented one is hashed and compared in constant time.
  provider.Client.prototype["compareClientSecret"] = async function (this: OidcClient, presented: unknown) {
    return clientSecretMatches(this.clientSecret, presented);
  };

  // RP-initiated logout: oidc-provider tells the apps of the session it ends; through the outbox
  // here instead of a request of its own, so it is retried and survives a restart.
  provider.Client.prototype["backchannelLogout"] = async function (this: OidcClient, sub: string, sid?: string) {
    const uri = (this as OidcClient & { backchannelLogoutUri?: string }).backchannelLogoutUri;
    if (!uri) return;
    const person = await findActivePerson(deps.db, sub);
    await deps.db.transaction().execute((tx) =>
      queueLogoutNotice(tx, deps, {
        accountId: person?.accountId ?? null,
        uri,
        clientId: this.clientId,
        sub,
        ...(sid ? { sid } : {}),
      }),
    );
    deps.notifyOutbox();
  };

  provider.use(async (ctx, next) => {
    await next();
    const oidc = ctx.oidc;
    if (oidc?.route === "end_session") await rememberWhoIsSigningOut(oidc);
    if (oidc?.route === "end_session_confirm" && ctx.status === 303 && oidc.params.logout) {
      const person = oidc.session.accountId ?? stringOrUndefined(oidc.session.state?.[SIGNING_OUT_SUB]);
      const cleared = await endPortalSession(ctx.req, person);
      if (cleared) ctx.append("Set-Cookie", cleared);
    }
  });

  /**
   * With no provider session in this browser (its cookie lasts as long as the browser; a "Stay
   * signed in" portal session lasts 30 days), the person signing out is the one the app's
   * `id_token_hint` names: kept with the logout for the confirmation (oidc-provider submits it
   * by itself then, without asking).
   */
  async function rememberWhoIsSigningOut(oidc: KoaContext["oidc"]): Promise<void> {
    const hint = oidc.entities["IdTokenHint"] as { payload?: { sub?: unknown } } | undefined;
    const sub = stringOrUndefined(hint?.payload?.sub);
    if (oidc.session.accountId || !sub || !oidc.session.state) return;
    oidc.session.state[SIGNING_OUT_SUB] = sub;
    await oidc.session.persist();
  }

  /**
   * "Yes, sign me out" ends this browser's portal session as well, when it is the person's who
   * signs out: the provider session's, or, without one, the `id_token_hint`'s. Not when that is
   * someone else (a person switching business made oidc-provider end the previous person's
   * session: the portal session is then the new one's), and not when nobody is named: with no
   * provider session and no hint, any site could send the browser here, and oidc-provider
   * confirms such a logout by itself.
   */
  async function endPortalSession(req: IncomingMessage, personId: string | undefined): Promise<string | undefined> {
    const context = requestContextOf(req);
    if (!context?.portalToken || !personId) return undefined;
    const portal = await resolveSessionOfAnyAccount(deps.db, deps, context.portalToken);
    if (!portal || portal.staff.id !== personId) return undefined;
    await signOut(deps, portal.account, portal.staff, context.portalToken, {
      ip: context.ip,
      userAgent: context.userAgent,
    });
    deps.notifyOutbox();
    return context.clearPortalCookie;
  }

  provider.on("server_error", (_ctx, error) => deps.onError(error, "identity provider request failed"));
  return provider;
}

/** Where the end_session step keeps the `id_token_hint`'s subject for the confirmation. */
const SIGNING_OUT_SUB = "staffgateSub";

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Introspection: an app may look at the tokens issued to it only. */
async function introspectionAllowed(_ctx: KoaContext, client: OidcClient, token: { clientId?: string }) {
  return token.clientId === client.clientId;
}

/**
 * The grant of this request: the one the session holds for the app, or a new one; the scopes
 * the app asks for are added (no consent screen: see the file header).
 *
 * A sign-out that commits while this request is under way deletes the person's grants, and
 * this one could be written again just after. So when the portal session held before the save
 * and no longer does after it, the grant goes again (codes and tokens need it) and the request
 * finds no grant: the person is asked to sign in. When it did not hold before, nothing changes
 * here: the sign-in check that follows sends the person to sign in, and their grant stays
 * (docs/identity-provider.md, "Known limits").
 */
export async function grantForRequest(
  provider: Provider,
  ctx: KoaContext,
  portalSessionHolds: () => Promise<boolean>,
): Promise<Grant | undefined> {
  const accountId = ctx.oidc.session.accountId;
  const client = ctx.oidc.client;
  if (!accountId || !client) return undefined;
  const grantId = ctx.oidc.session.grantIdFor(client.clientId);
  let grant = grantId ? await provider.Grant.find(grantId) : undefined;
  if (grant && (grant.accountId !== accountId || grant.clientId !== client.clientId)) grant = undefined;
  grant ??= new provider.Grant({ accountId, clientId: client.clientId });
  grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(" "));
  const heldBefore = await portalSessionHolds();
  await grant.save();
  if (heldBefore && !(await portalSessionHolds())) {
    await grant.destroy();
    return undefined;
  }
  return grant;
}
