/**
 * The identity provider against a real relying party (openid-client 6), on each database:
 * discovery, Authorization Code with PKCE only, redirect URIs, code replay, ID token signature
 * and claims, nonce, refresh-token rotation and revocation, client secrets, tenancy and fresh
 * sign-ins.
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects } from "../support/dialects.js";
import {
  Browser,
  addPerson,
  authorizationRequest,
  authorize,
  redeem,
  registerApp,
  relyingParty,
  seedBusiness,
  startOidcServer,
  oauthError,
  type AuthorizationAttempt,
  type OidcServer,
  type RelyingParty,
} from "./support.js";

const PASSWORD = "kettle-orchard-77";
const CALLBACK = "http://127.0.0.1:9/callback";

describe.each(dialects)("identity provider on %s", (dialect) => {
  let server: OidcServer;
  let rp: RelyingParty;
  let secret: string;
  let samId: string;
  let beaId: string;

  beforeAll(async () => {
    server = await startOidcServer(dialect);
    const { account } = await seedBusiness(server);
    samId = await addPerson(server, account.id, {
      username: "sam",
      password: PASSWORD,
      permissions: ["staff.view"],
      email: "sam@acme.example",
    });
    const other = await seedBusiness(server, { slug: "beta-gym", name: "Beta Gym", ownerEmail: "owner@beta.example" });
    beaId = await addPerson(server, other.account.id, { username: "bea", password: PASSWORD });
    const app = await registerApp(server, { name: "Office Portal", redirectUris: [CALLBACK] });
    secret = app.clientSecret as string;
    rp = await relyingParty(server, app, CALLBACK);
  });
  afterAll(() => server.close());

  /** Signs in at `slug` when sent there, then comes back: where the browser lands. */
  async function signInThrough(browser: Browser, attempt: AuthorizationAttempt, slug: string, login: string) {
    const landed = await authorize(browser, attempt);
    const at = new URL(landed);
    expect(at.pathname).toBe(`/a/${slug}/login`);
    await browser.signIn(slug, login, PASSWORD);
    return (await browser.follow(at.searchParams.get("continue") as string)).url;
  }

  async function tokensFor(browser: Browser, slug = "acme-swim", login = "sam", extra: Record<string, string> = {}) {
    const attempt = await authorizationRequest(rp, { account_hint: slug, ...extra });
    const callback = await signInThrough(browser, attempt, slug, login);
    return { attempt, callback, tokens: await redeem(rp, attempt, callback) };
  }

  it("publishes discovery for Authorization Code with PKCE only", async () => {
    const metadata = rp.config.serverMetadata();
    expect(metadata.issuer).toBe(server.issuer);
    expect(metadata.response_types_supported).toEqual(["code"]);
    expect(metadata.code_challenge_methods_supported).toEqual(["S256"]);
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token"]));
    expect(metadata.grant_types_supported).not.toContain("implicit");
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "email", "staffgate"]));
    expect(metadata.id_token_signing_alg_values_supported).not.toContain("HS256");
    expect(metadata.token_endpoint_auth_methods_supported).not.toContain("client_secret_jwt");
    for (const endpoint of [
      "authorization_endpoint",
      "token_endpoint",
      "userinfo_endpoint",
      "jwks_uri",
      "revocation_endpoint",
      "introspection_endpoint",
      "end_session_endpoint",
    ] as const) {
      expect(metadata[endpoint], endpoint).toMatch(new RegExp(`^${server.issuer}/`));
    }
    expect(metadata.backchannel_logout_supported).toBe(true);
    const jwks = (await (await fetch(metadata.jwks_uri as string)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) expect(key).not.toHaveProperty("d");
  });

  it("builds its addresses from PUBLIC_URL, never from the Host header", async () => {
    const response = await fetch(`${server.issuer}/.well-known/openid-configuration`, {
      headers: { host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).not.toContain("evil.example");
    expect(JSON.parse(text).token_endpoint).toBe(`${server.issuer}/token`);
  });

  it("signs a person in with their business's sign-in page and issues verified tokens with their claims", async () => {
    const browser = new Browser(server.url);
    const { attempt, tokens } = await tokensFor(browser);
    const idToken = tokens.id_token as string;
    const { payload, protectedHeader } = await jwtVerify(
      idToken,
      createRemoteJWKSet(new URL(`${server.issuer}/jwks`)),
      {
        issuer: server.issuer,
        audience: rp.clientId,
      },
    );
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({
      sub: samId,
      nonce: attempt.nonce,
      amr: ["pwd"],
      name: "Sam Rivera",
      preferred_username: "sam",
      email: "sam@acme.example",
      email_verified: false,
      account: "acme-swim",
      account_name: "Acme Swim",
      staff_id: samId,
      is_owner: false,
      admin_full_access: false,
      permissions: ["staff.view"],
    });
    expect(typeof payload.auth_time).toBe("number");
    const userinfo = await client.fetchUserInfo(rp.config, tokens.access_token, samId);
    expect(userinfo).toMatchObject({ sub: samId, account: "acme-swim", staff_id: samId, permissions: ["staff.view"] });
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.expires_in).toBeLessThanOrEqual(600);
  });

  it("gives Admin Access holders every permission key, and the owner is_owner", async () => {
    const browser = new Browser(server.url);
    const attempt = await authorizationRequest(rp, { account_hint: "acme-swim" });
    const landed = new URL(await authorize(browser, attempt));
    await browser.signIn("acme-swim", "admin", "tidal-lantern-91");
    const callback = (await browser.follow(landed.searchParams.get("continue") as string)).url;
    const claims = (await redeem(rp, attempt, callback)).claims();
    expect(claims).toMatchObject({
      is_owner: true,
      admin_full_access: true,
      permissions: ["staff.view", "staff.edit"],
    });
  });

  it("reuses a live portal session without asking again, and rejects a wrong nonce", async () => {
    const browser = new Browser(server.url);
    await tokensFor(browser);
    const attempt = await authorizationRequest(rp, { account_hint: "acme-swim" });
    const callback = await authorize(browser, attempt);
    expect(callback.startsWith(CALLBACK)).toBe(true);
    expect(await oauthError(redeem(rp, { ...attempt, nonce: "another-nonce" }, callback))).toMatch(
      /unexpected JWT claim/,
    );
  });

  it("requires PKCE with S256 and refuses implicit and hybrid response types", async () => {
    const base = {
      client_id: rp.clientId,
      redirect_uri: CALLBACK,
      scope: "openid",
      state: "s",
      nonce: "n",
      response_type: "code",
    };
    const authorizeWith = async (params: Record<string, string>) => {
      const response = await fetch(`${server.issuer}/auth?${new URLSearchParams(params)}`, { redirect: "manual" });
      return new URL(response.headers.get("location") as string);
    };
    const noChallenge = await authorizeWith(base);
    expect(noChallenge.searchParams.get("error")).toBe("invalid_request");
    expect(noChallenge.searchParams.has("code")).toBe(false);
    const plain = await authorizeWith({ ...base, code_challenge: "a".repeat(43), code_challenge_method: "plain" });
    expect(plain.searchParams.get("error")).toBe("invalid_request");
    for (const responseType of ["token", "id_token", "code id_token", "code token"]) {
      const refused = await authorizeWith({ ...base, response_type: responseType, code_challenge: "a".repeat(43) });
      expect(refused.searchParams.get("error") ?? new URLSearchParams(refused.hash.slice(1)).get("error")).toMatch(
        /unsupported_response_type|invalid_request|unauthorized_client/,
      );
    }
  });

  it("never redirects to an unregistered redirect_uri", async () => {
    const attempt = await authorizationRequest({ ...rp, redirectUri: "https://evil.example/callback" });
    const response = await fetch(attempt.url, { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("redirect_uri did not match");
  });

  it("refuses a code with the wrong PKCE verifier, and a replayed code revokes what the first use issued", async () => {
    const browser = new Browser(server.url);
    const { attempt, callback, tokens } = await tokensFor(browser);
    expect(await oauthError(redeem(rp, attempt, callback))).toBe("invalid_grant");
    await expect(client.fetchUserInfo(rp.config, tokens.access_token, samId)).rejects.toThrow();
    expect(await oauthError(client.refreshTokenGrant(rp.config, tokens.refresh_token as string))).toBe("invalid_grant");

    const second = await authorizationRequest(rp, { account_hint: "acme-swim" });
    const secondCallback = await authorize(browser, second);
    expect(await oauthError(redeem(rp, { ...second, verifier: client.randomPKCECodeVerifier() }, secondCallback))).toBe(
      "invalid_grant",
    );
  });

  it("rotates refresh tokens, and reusing a rotated one revokes the chain", async () => {
    const { tokens } = await tokensFor(new Browser(server.url));
    const refreshed = await client.refreshTokenGrant(rp.config, tokens.refresh_token as string);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()?.sub).toBe(samId);
    expect(await oauthError(client.refreshTokenGrant(rp.config, tokens.refresh_token as string))).toBe("invalid_grant");
    expect(await oauthError(client.refreshTokenGrant(rp.config, refreshed.refresh_token as string))).toBe(
      "invalid_grant",
    );
  });

  it("revokes a refresh token, and introspects only the asking app's tokens", async () => {
    const { tokens } = await tokensFor(new Browser(server.url));
    const active = await client.tokenIntrospection(rp.config, tokens.access_token);
    expect(active).toMatchObject({ active: true, sub: samId, client_id: rp.clientId });
    const other = await registerApp(server, { name: "Other app", redirectUris: ["https://other.example/cb"] });
    const otherRp = await relyingParty(server, other, "https://other.example/cb");
    expect((await client.tokenIntrospection(otherRp.config, tokens.access_token)).active).toBe(false);
    await client.tokenRevocation(rp.config, tokens.refresh_token as string);
    expect(await oauthError(client.refreshTokenGrant(rp.config, tokens.refresh_token as string))).toBe("invalid_grant");
  });

  it("keeps client secrets hashed: the right secret works, a wrong one or the stored hash does not", async () => {
    const row = await server.runtime.deps.db
      .selectFrom("oidc_clients")
      .select("secret_hash")
      .where("id", "=", rp.clientId)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(row.secret_hash).not.toContain(secret);
    for (const wrong of ["not-the-secret", row.secret_hash as string]) {
      const config = await client.discovery(
        new URL(server.issuer),
        rp.clientId,
        undefined,
        client.ClientSecretPost(wrong),
        {
          execute: [client.allowInsecureRequests],
        },
      );
      expect(await oauthError(client.tokenIntrospection(config, "anything"))).toBe("invalid_client");
    }
  });

  it("stores only hashes of codes, tokens and sessions, and sealed payloads", async () => {
    const { tokens } = await tokensFor(new Browser(server.url));
    const rows = await server.runtime.deps.db.selectFrom("oidc_models").selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(tokens.access_token);
    expect(dump).not.toContain(tokens.refresh_token as string);
    expect(rows.every((row) => row.payload.startsWith("sg1."))).toBe(true);
  });

  it("lets a public app in with PKCE alone", async () => {
    const app = await registerApp(server, { name: "SPA", redirectUris: ["http://localhost:5173/cb"], public: true });
    expect(app.clientSecret).toBeUndefined();
    const spa = await relyingParty(server, app, "http://localhost:5173/cb");
    const attempt = await authorizationRequest(spa, { account_hint: "acme-swim" });
    const callback = await signInThrough(new Browser(server.url), attempt, "acme-swim", "sam");
    expect((await redeem(spa, attempt, callback)).claims()?.sub).toBe(samId);
  });

  it("never accepts one business's sign-in for another's request", async () => {
    const browser = new Browser(server.url);
    await tokensFor(browser, "acme-swim", "sam");
    // Signed in at Acme Swim, an app asks for Beta Gym: Beta Gym's sign-in page, not a code.
    const forBeta = await authorizationRequest(rp, { account_hint: "beta-gym" });
    const landed = new URL(await authorize(browser, forBeta));
    expect(landed.pathname).toBe("/a/beta-gym/login");
    // …and without a page to show, the app is told a sign-in is needed.
    const silent = await authorizationRequest(rp, { account_hint: "beta-gym", prompt: "none" });
    const refused = new URL(await authorize(browser, silent));
    expect(refused.searchParams.get("error")).toBe("login_required");
    // Signing in at Beta Gym gives Bea's tokens, naming Beta Gym.
    await browser.signIn("beta-gym", "bea", PASSWORD);
    const callback = (await browser.follow(landed.searchParams.get("continue") as string)).url;
    expect((await redeem(rp, forBeta, callback)).claims()).toMatchObject({ sub: beaId, account: "beta-gym" });
    // The provider's Acme session is gone with the switch: Acme now asks for a sign-in again.
    const backToAcme = await authorizationRequest(rp, { account_hint: "acme-swim", prompt: "none" });
    expect(new URL(await authorize(browser, backToAcme)).searchParams.get("error")).toBe("login_required");
  });

  it("names no business? the landing page first; an unknown one is an error page", async () => {
    const browser = new Browser(server.url);
    const landed = new URL(await authorize(browser, await authorizationRequest(rp)));
    expect(landed.pathname).toBe("/");
    expect(landed.searchParams.get("continue")).toMatch(/^\/oidc\/interaction\/[A-Za-z0-9_-]+$/);
    const unknown = await browser.follow(
      (await authorizationRequest(rp, { account_hint: "no-such-business" })).url.href,
    );
    expect(unknown.response.status).toBe(400);
    expect(await unknown.response.text()).toContain("<h1>This sign-in can&#39;t continue</h1>");
  });

  it("asks for a fresh sign-in with prompt=login and when max_age has passed", async () => {
    const browser = new Browser(server.url);
    await tokensFor(browser);
    for (const extra of [{ prompt: "login" }, { max_age: "0" }] as Record<string, string>[]) {
      const attempt = await authorizationRequest(rp, { account_hint: "acme-swim", ...extra });
      const landed = new URL(await authorize(browser, attempt));
      expect(landed.pathname, JSON.stringify(extra)).toBe("/a/acme-swim/login");
      // Coming back without signing in again leads back to the sign-in page.
      const again = await browser.follow(landed.searchParams.get("continue") as string);
      expect(new URL(again.url).pathname).toBe("/a/acme-swim/login");
      await new Promise((resolve) => setTimeout(resolve, 1100 - (Date.now() % 1000)));
      await browser.signIn("acme-swim", "sam", PASSWORD);
      const callback = (await browser.follow(landed.searchParams.get("continue") as string)).url;
      const claims = (await redeem(rp, attempt, callback)).claims();
      expect(claims?.sub).toBe(samId);
    }
  });

  it("lets max_age count a portal sign-in made before the request, and refuses one older than max_age", async () => {
    // Signed in at the portal just before: no provider session yet, but a sign-in well within the hour.
    const fresh = new Browser(server.url);
    await fresh.signIn("acme-swim", "sam", PASSWORD);
    const attempt = await authorizationRequest(rp, { account_hint: "acme-swim", max_age: "3600" });
    const callback = await authorize(fresh, attempt);
    expect(callback.startsWith(CALLBACK)).toBe(true);
    const claims = (await redeem(rp, attempt, callback)).claims();
    expect(claims?.sub).toBe(samId);
    expect(Math.floor(Date.now() / 1000) - (claims?.auth_time ?? 0)).toBeLessThan(60);
    // A portal sign-in two hours old is not within the hour: back to the sign-in page.
    const stale = new Browser(server.url);
    await stale.signIn("acme-swim", "sam", PASSWORD);
    const twoHoursAgo = Date.now() - 2 * 60 * 60 * 1000;
    await server.runtime.deps.db
      .updateTable("sessions")
      .set({ authenticated_at: twoHoursAgo })
      .where("staff_id", "=", samId)
      .where("authenticated_at", ">", twoHoursAgo)
      .execute();
    const old = await authorizationRequest(rp, { account_hint: "acme-swim", max_age: "3600" });
    expect(new URL(await authorize(stale, old)).pathname).toBe("/a/acme-swim/login");
  });

  it("finishes no sign-in on a HEAD of the interaction address", async () => {
    const browser = new Browser(server.url);
    await browser.signIn("acme-swim", "sam", PASSWORD);
    const attempt = await authorizationRequest(rp, { account_hint: "acme-swim" });
    const interaction = (await browser.fetch(attempt.url.href)).headers.get("location") as string;
    expect(interaction).toMatch(/\/oidc\/interaction\//);
    const signInsToApps = async () =>
      (
        await server.runtime.deps.db
          .selectFrom("audit_events")
          .select("id")
          .where("action", "=", "oidc.signed_in")
          .execute()
      ).length;
    const before = await signInsToApps();
    const head = await browser.fetch(interaction, { method: "HEAD" });
    expect([404, 405]).toContain(head.status);
    expect(head.headers.get("location")).toBeNull();
    expect(await signInsToApps()).toBe(before);
    // The GET that follows finishes it, once.
    const callback = (await browser.follow(interaction)).url;
    expect((await redeem(rp, attempt, callback)).claims()?.sub).toBe(samId);
    expect(await signInsToApps()).toBe(before + 1);
  });

  it("keeps its own cookies to /oidc: neither the portal nor an app beside it receives them", async () => {
    const browser = new Browser(server.url);
    await tokensFor(browser);
    expect(browser.cookie("staffgate_oidc_session")?.path).toBe("/oidc");
    expect(browser.cookie("staffgate_oidc_session.sig")?.path).toBe("/oidc");
    expect(browser.cookieHeader("/")).not.toContain("staffgate_oidc");
    expect(browser.cookieHeader("/a/acme-swim/login")).not.toContain("staffgate_oidc");
    expect(browser.cookieHeader("/oidc/auth")).toContain("staffgate_oidc_session=");
  });

  it("gives an inactive person no tokens", async () => {
    const browser = new Browser(server.url);
    const attempt = await authorizationRequest(rp, { account_hint: "acme-swim" });
    const callback = await signInThrough(browser, attempt, "acme-swim", "sam");
    await server.runtime.deps.db.updateTable("staff").set({ status: "inactive" }).where("id", "=", samId).execute();
    try {
      expect(await oauthError(redeem(rp, attempt, callback))).toBe("invalid_grant");
    } finally {
      await server.runtime.deps.db.updateTable("staff").set({ status: "active" }).where("id", "=", samId).execute();
    }
  });

  it("keeps Staffgate's Origin check off its token endpoint but on the portal API", async () => {
    const token = await fetch(`${server.issuer}/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://evil.example",
        authorization: `Basic ${Buffer.from(`${rp.clientId}:${secret}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "authorization_code", code: "x", redirect_uri: CALLBACK }).toString(),
    });
    // oidc-provider's own answer (the code is wrong), not Staffgate's csrf_rejected.
    expect(token.status).toBe(400);
    expect(((await token.json()) as { error: string }).error).toBe("invalid_request");
    const portal = await fetch(`${server.url}/api/accounts/acme-swim/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ login: "sam", password: PASSWORD }),
    });
    expect(portal.status).toBe(403);
  });

  it("records sign-ins to apps in the business's audit log", async () => {
    await tokensFor(new Browser(server.url));
    const events = await server.runtime.deps.db
      .selectFrom("audit_events")
      .select(["action", "details"])
      .where("action", "=", "oidc.signed_in")
      .execute();
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.parse(events[0]?.details ?? "{}")).toMatchObject({ clientId: rp.clientId, app: "Office Portal" });
  });

  it("decodes to the sub of the staff id in every token", async () => {
    const { tokens } = await tokensFor(new Browser(server.url));
    expect(decodeJwt(tokens.id_token as string).sub).toBe(samId);
  });
});
