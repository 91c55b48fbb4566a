/**
 * Sign-out everywhere: every way a person's portal sessions end reaches the apps they signed in
 * to — a Back-Channel Logout token, verified here against the provider's JWKS, delivered through
 * the outbox — and their refresh tokens stop working. RP-initiated logout ends the portal
 * session too.
 */
import * as client from "openid-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dialects } from "../support/dialects.js";
import {
  Browser,
  addPerson,
  authorizationRequest,
  authorize,
  deliverOutbox,
  oauthError,
  redeem,
  registerApp,
  relyingParty,
  seedBusiness,
  startLogoutReceiver,
  startOidcServer,
  type LogoutReceiver,
  type OidcServer,
  type RelyingParty,
} from "./support.js";

const PASSWORD = "kettle-orchard-77";
const OWNER_PASSWORD = "tidal-lantern-91";
const CALLBACK = "http://127.0.0.1:9/callback";
const SIGNED_OUT = "http://127.0.0.1:9/signed-out";

describe.each(dialects)("back-channel logout on %s", (dialect) => {
  let server: OidcServer;
  let receiver: LogoutReceiver;
  let rp: RelyingParty;
  let samId: string;
  let admin: Browser;

  beforeAll(async () => {
    server = await startOidcServer(dialect);
    const { account } = await seedBusiness(server);
    samId = await addPerson(server, account.id, {
      username: "sam",
      password: PASSWORD,
      permissions: ["staff.view"],
      email: "sam@acme.example",
    });
    const beta = await seedBusiness(server, { slug: "beta-gym", name: "Beta Gym", ownerEmail: "owner@beta.example" });
    await addPerson(server, beta.account.id, { username: "bea", password: PASSWORD });
    let clientId = "";
    receiver = await startLogoutReceiver(server, () => clientId);
    const app = await registerApp(server, {
      name: "Office Portal",
      redirectUris: [CALLBACK],
      postLogoutRedirectUris: [SIGNED_OUT],
      backchannelLogoutUri: receiver.uri,
    });
    clientId = app.clientId;
    rp = await relyingParty(server, app, CALLBACK);
    admin = new Browser(server.url);
    await admin.signIn("acme-swim", "admin", OWNER_PASSWORD);
  });
  afterAll(async () => {
    await receiver.close();
    await server.close();
  });
  beforeEach(async () => {
    await server.runtime.deps.db.updateTable("staff").set({ status: "active" }).where("id", "=", samId).execute();
    await deliverOutbox(server);
    receiver.received.length = 0;
    receiver.status = 200;
  });

  /** Sam signs in to the app: the browser, the tokens and the session id the ID token names. */
  async function samSignedInToTheApp(password = PASSWORD) {
    const browser = new Browser(server.url);
    const attempt = await authorizationRequest(rp, { account_hint: "acme-swim" });
    const landed = new URL(await authorize(browser, attempt));
    await browser.signIn("acme-swim", "sam", password);
    const callback = (await browser.follow(landed.searchParams.get("continue") as string)).url;
    const tokens = await redeem(rp, attempt, callback);
    const sid = tokens.claims()?.["sid"];
    expect(typeof sid).toBe("string");
    return { browser, tokens, sid: sid as string };
  }

  async function expectLoggedOutOfTheApp(signedIn: Awaited<ReturnType<typeof samSignedInToTheApp>>) {
    await deliverOutbox(server);
    expect(receiver.rejected).toEqual([]);
    expect(receiver.received).toHaveLength(1);
    const [logout] = receiver.received;
    expect(logout?.payload).toMatchObject({
      iss: server.issuer,
      aud: rp.clientId,
      sub: samId,
      sid: signedIn.sid,
      events: { "http://schemas.openid.net/event/backchannel-logout": {} },
    });
    expect(logout?.payload).not.toHaveProperty("nonce");
    expect(typeof logout?.payload.jti).toBe("string");
    expect((logout?.payload.exp ?? 0) - (logout?.payload.iat ?? 0)).toBeLessThanOrEqual(120);
    expect(await oauthError(client.refreshTokenGrant(rp.config, signedIn.tokens.refresh_token as string))).toBe(
      "invalid_grant",
    );
    expect(await oauthError(client.fetchUserInfo(rp.config, signedIn.tokens.access_token, samId))).toBe(
      "invalid_token",
    );
    const left = await server.runtime.deps.db
      .selectFrom("oidc_models")
      .select("kind")
      .where("staff_id", "=", samId)
      .execute();
    expect(left.map((row) => row.kind)).toEqual([]);
  }

  it("on signing out of Staffgate", async () => {
    const signedIn = await samSignedInToTheApp();
    expect(await signedIn.browser.signOut("acme-swim")).toBe(204);
    await expectLoggedOutOfTheApp(signedIn);
  });

  it("on changing one's own password", async () => {
    const signedIn = await samSignedInToTheApp();
    const response = await signedIn.browser.fetch("/api/accounts/acme-swim/me/password", {
      method: "PUT",
      headers: { origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({
        currentPassword: PASSWORD,
        newPassword: "copper-meadow-4821",
        newPasswordConfirmation: "copper-meadow-4821",
      }),
    });
    expect(response.status).toBe(204);
    await expectLoggedOutOfTheApp(signedIn);
    await setPassword(PASSWORD);
  });

  it("on a reset by link", async () => {
    const signedIn = await samSignedInToTheApp();
    const request = await fetch(`${server.url}/api/accounts/acme-swim/password-resets`, {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ login: "sam" }),
    });
    expect(request.status).toBe(202);
    await server.runtime.deps.resetRequests.drain();
    await deliverOutbox(server);
    const mail = server.runtime.deps.devMailbox?.list().find((entry) => entry.to === "sam@acme.example");
    const token = /reset-password#token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? "")?.[1];
    expect(token).toBeTruthy();
    const complete = await fetch(`${server.url}/api/password-resets/complete`, {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ token, password: "copper-meadow-4821", passwordConfirmation: "copper-meadow-4821" }),
    });
    expect(complete.status).toBe(204);
    await expectLoggedOutOfTheApp(signedIn);
    await setPassword(PASSWORD);
  });

  it("on an admin setting the password", async () => {
    const signedIn = await samSignedInToTheApp();
    const response = await admin.fetch(`/api/accounts/acme-swim/staff/${samId}/password`, {
      method: "PUT",
      headers: { origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ password: PASSWORD, mustChangeAtNextLogin: false }),
    });
    expect(response.status).toBe(200);
    await expectLoggedOutOfTheApp(signedIn);
  });

  it("on being made Inactive", async () => {
    const signedIn = await samSignedInToTheApp();
    const response = await admin.fetch(`/api/accounts/acme-swim/staff/${samId}`, {
      method: "PATCH",
      headers: { origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ status: "inactive" }),
    });
    expect(response.status).toBe(200);
    await expectLoggedOutOfTheApp(signedIn);
    // An inactive person keeps no password: back to active with a new one.
    await server.runtime.deps.db.updateTable("staff").set({ status: "active" }).where("id", "=", samId).execute();
    await setPassword(PASSWORD);
  });

  it("on losing a permission", async () => {
    const signedIn = await samSignedInToTheApp();
    const response = await admin.fetch(`/api/accounts/acme-swim/staff/${samId}/permissions`, {
      method: "PUT",
      headers: { origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ adminFullAccess: false, permissions: [] }),
    });
    expect(response.status).toBe(200);
    await expectLoggedOutOfTheApp(signedIn);
  });

  it("on RP-initiated logout, which ends the Staffgate session too", async () => {
    const signedIn = await samSignedInToTheApp();
    const endSession = client.buildEndSessionUrl(rp.config, {
      id_token_hint: signedIn.tokens.id_token as string,
      post_logout_redirect_uri: SIGNED_OUT,
      state: "bye",
    });
    const page = await signedIn.browser.fetch(endSession.href);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<h1>Sign out?</h1>");
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] as string;
    const confirmed = await signedIn.browser.fetch(`${server.issuer}/session/end/confirm`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ xsrf, logout: "yes" }).toString(),
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe(`${SIGNED_OUT}?state=bye`);
    const me = await signedIn.browser.fetch("/api/accounts/acme-swim/me");
    expect(me.status).toBe(401);
    await expectLoggedOutOfTheApp(signedIn);
  });

  it("on RP-initiated logout after a browser restart, with no provider session left", async () => {
    const signedIn = await samSignedInToTheApp();
    // The provider's cookie lasts as long as the browser; a "Stay signed in" portal cookie stays.
    signedIn.browser.forget("staffgate_oidc_");
    const endSession = client.buildEndSessionUrl(rp.config, {
      id_token_hint: signedIn.tokens.id_token as string,
      post_logout_redirect_uri: SIGNED_OUT,
      state: "bye",
    });
    // oidc-provider confirms by itself when it has no session: its self-submitting form.
    const done = await signedIn.browser.follow(endSession.href);
    expect(done.url).toBe(`${SIGNED_OUT}?state=bye`);
    expect((await signedIn.browser.fetch("/api/accounts/acme-swim/me")).status).toBe(401);
    await expectLoggedOutOfTheApp(signedIn);
  });

  it("keeps the portal session on a logout naming someone else, or nobody", async () => {
    const sams = await samSignedInToTheApp();
    await sams.browser.signOut("acme-swim");
    await deliverOutbox(server);
    receiver.received.length = 0;
    const someoneElse = new Browser(server.url);
    await someoneElse.signIn("acme-swim", "admin", OWNER_PASSWORD);
    const hints: Record<string, string>[] = [
      { id_token_hint: sams.tokens.id_token as string, post_logout_redirect_uri: SIGNED_OUT },
      { client_id: rp.clientId, post_logout_redirect_uri: SIGNED_OUT },
    ];
    for (const params of hints) {
      const done = await someoneElse.follow(client.buildEndSessionUrl(rp.config, params).href);
      expect(done.url, JSON.stringify(Object.keys(params))).toBe(SIGNED_OUT);
      expect((await someoneElse.fetch("/api/accounts/acme-swim/me")).status).toBe(200);
    }
    await someoneElse.signOut("acme-swim");
  });

  it("on someone else signing in over the session (a shared desk), of another business", async () => {
    const signedIn = await samSignedInToTheApp();
    await signedIn.browser.signIn("beta-gym", "bea", PASSWORD);
    await expectLoggedOutOfTheApp(signedIn);
    await signedIn.browser.signOut("beta-gym");
  });

  it("not on signing in again as oneself", async () => {
    const signedIn = await samSignedInToTheApp();
    await signedIn.browser.signIn("acme-swim", "sam", PASSWORD);
    await deliverOutbox(server);
    expect(receiver.received).toEqual([]);
    const refreshed = await client.refreshTokenGrant(rp.config, signedIn.tokens.refresh_token as string);
    expect(refreshed.access_token).toBeTruthy();
    await signedIn.browser.signOut("acme-swim");
  });

  it("refuses a forged logout confirmation", async () => {
    const signedIn = await samSignedInToTheApp();
    const forged = await signedIn.browser.fetch(`${server.issuer}/session/end/confirm`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: new URLSearchParams({ xsrf: "guess", logout: "yes" }).toString(),
    });
    expect(forged.status).toBe(400);
    expect((await signedIn.browser.fetch("/api/accounts/acme-swim/me")).status).toBe(200);
    await signedIn.browser.signOut("acme-swim");
  });

  it("retries delivery while the app is down", async () => {
    const signedIn = await samSignedInToTheApp();
    receiver.status = 503;
    await signedIn.browser.signOut("acme-swim");
    await deliverOutbox(server);
    expect(receiver.received).toEqual([]);
    const queued = await server.runtime.deps.db
      .selectFrom("outbox_messages")
      .select(["id", "status", "attempts"])
      .where("channel", "=", "backchannel_logout")
      .where("status", "=", "queued")
      .execute();
    expect(queued).toHaveLength(1);
    expect(queued[0]?.attempts).toBe(1);
    receiver.status = 200;
    await server.runtime.deps.db
      .updateTable("outbox_messages")
      .set({ next_attempt_at: 0 })
      .where("id", "=", queued[0]?.id as string)
      .execute();
    await expectLoggedOutOfTheApp(signedIn);
  });

  async function setPassword(password: string) {
    const response = await admin.fetch(`/api/accounts/acme-swim/staff/${samId}/password`, {
      method: "PUT",
      headers: { origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ password, mustChangeAtNextLogin: false }),
    });
    expect(response.status).toBe(200);
    await deliverOutbox(server);
    receiver.received.length = 0;
  }
});
