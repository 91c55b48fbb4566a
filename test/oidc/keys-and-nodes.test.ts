/**
 * Signing keys (the key file of a single SQLite node, rotation with OIDC_SIGNING_KEYS), and
 * several nodes sharing one database: a code issued by one node is redeemed at another, and a
 * sign-out on one is delivered to the app by another's outbox worker. Expired rows go with the
 * retention job.
 */
import { statSync } from "node:fs";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSigningKey } from "../../src/modules/identity-provider/index.js";
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
  type OidcServer,
  type RelyingParty,
} from "./support.js";

const PASSWORD = "kettle-orchard-77";
const CALLBACK = "http://127.0.0.1:9/callback";
const keyA = newSigningKey();
const keyB = newSigningKey();
const jwks = (...keys: object[]) => JSON.stringify({ keys });

async function signInToApp(browser: Browser, rp: RelyingParty) {
  const attempt = await authorizationRequest(rp, { account_hint: "acme-swim" });
  const landed = new URL(await authorize(browser, attempt));
  await browser.signIn("acme-swim", "sam", PASSWORD);
  const callback = (await browser.follow(landed.searchParams.get("continue") as string)).url;
  return { attempt, callback };
}

describe("the signing key of a single SQLite node", () => {
  it("is kept in a file beside the database, readable by its owner only, and reused after a restart", async () => {
    const first = await startOidcServer("sqlite");
    try {
      const path = `${first.runtime.location.databaseUrl.slice("sqlite:".length)}.oidc-keys.json`;
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const second = await startOidcServer("sqlite", { joinDatabaseOf: first.runtime, publicUrl: first.url });
      try {
        expect(second.runtime.deps.identityProvider.signingKeys).toEqual(
          first.runtime.deps.identityProvider.signingKeys,
        );
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });
});

describe.each(dialects)("keys and nodes on %s", (dialect) => {
  let first: OidcServer;
  let second: OidcServer;
  let registered: { clientId: string; clientSecret?: string };
  let samId: string;

  beforeAll(async () => {
    first = await startOidcServer(dialect, { env: { OIDC_SIGNING_KEYS: jwks(keyA) } });
    // A second node of the same PUBLIC_URL, rotated to a new key: B signs, A is still published.
    second = await startOidcServer(dialect, {
      joinDatabaseOf: first.runtime,
      publicUrl: first.url,
      env: { OIDC_SIGNING_KEYS: jwks(keyB, keyA) },
    });
    const { account } = await seedBusiness(first);
    samId = await addPerson(first, account.id, { username: "sam", password: PASSWORD });
    registered = await registerApp(first, { name: "Office Portal", redirectUris: [CALLBACK] });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it("rotates keys: the JWKS keeps the old public key, the first key signs new tokens", async () => {
    const rp = await relyingParty(first, registered, CALLBACK, () => first.listenUrl);
    const { attempt, callback } = await signInToApp(new Browser(first.url), rp);
    const old = await redeem(rp, attempt, callback);
    expect(decodeProtectedHeader(old.id_token as string).kid).toBe(keyA.kid);

    const rotated = await relyingParty(first, registered, CALLBACK, () => second.listenUrl);
    const published = (await (await fetch(`${second.listenUrl}/oidc/jwks`)).json()) as { keys: { kid: string }[] };
    expect(published.keys.map((key) => key.kid)).toEqual([keyB.kid, keyA.kid]);
    const keySet = createRemoteJWKSet(new URL(`${second.listenUrl}/oidc/jwks`));
    await jwtVerify(old.id_token as string, keySet, { issuer: first.issuer, audience: registered.clientId });

    const browser = new Browser(first.url, second.listenUrl);
    const fresh = await signInToApp(browser, rotated);
    const issued = await redeem(rotated, fresh.attempt, fresh.callback);
    expect(decodeProtectedHeader(issued.id_token as string).kid).toBe(keyB.kid);
    await jwtVerify(issued.id_token as string, keySet, { issuer: first.issuer, audience: registered.clientId });
    // The refresh token issued under the old key still works on the rotated node.
    const refreshed = await client.refreshTokenGrant(rotated.config, old.refresh_token as string);
    expect(refreshed.claims()?.sub).toBe(samId);
  });

  it("redeems at one node a code issued by the other", async () => {
    const browser = new Browser(first.url, first.listenUrl);
    const onFirst = await relyingParty(first, registered, CALLBACK, () => first.listenUrl);
    const { attempt, callback } = await signInToApp(browser, onFirst);
    const onSecond = await relyingParty(first, registered, CALLBACK, () => second.listenUrl);
    const tokens = await redeem(onSecond, attempt, callback);
    expect(tokens.claims()?.sub).toBe(samId);
    // …and the code is used up for both.
    expect(await oauthError(redeem(onFirst, attempt, callback))).toBe("invalid_grant");
  });

  it("delivers a sign-out made on one node from the other node's outbox", async () => {
    let clientId = "";
    // The app checks tokens against the JWKS of the rotated node, which publishes both keys.
    const receiver = await startLogoutReceiver(
      { issuer: first.issuer },
      () => clientId,
      `${second.listenUrl}/oidc/jwks`,
    );
    try {
      const app = await registerApp(first, {
        name: "Listening app",
        redirectUris: [CALLBACK],
        backchannelLogoutUri: receiver.uri,
      });
      clientId = app.clientId;
      const rp = await relyingParty(first, app, CALLBACK, () => second.listenUrl);
      const browser = new Browser(first.url, second.listenUrl);
      const { attempt, callback } = await signInToApp(browser, rp);
      const tokens = await redeem(rp, attempt, callback);
      browser.via = first.listenUrl;
      expect(await browser.signOut("acme-swim")).toBe(204);
      await deliverOutbox(second);
      expect(receiver.rejected).toEqual([]);
      expect(receiver.received.map((logout) => logout.payload.sub)).toEqual([samId]);
      expect(receiver.received[0]?.payload.sid).toBe(tokens.claims()?.["sid"]);
      expect(await oauthError(client.refreshTokenGrant(rp.config, tokens.refresh_token as string))).toBe(
        "invalid_grant",
      );
    } finally {
      await receiver.close();
    }
  });

  it("lets the retention job remove expired rows", async () => {
    const db = first.runtime.deps.db;
    // An authorization nobody finished leaves its interaction behind.
    const rp = await relyingParty(first, registered, CALLBACK, () => first.listenUrl);
    await authorize(
      new Browser(first.url, first.listenUrl),
      await authorizationRequest(rp, { account_hint: "acme-swim" }),
    );
    expect((await db.selectFrom("oidc_models").select("kind").execute()).map((row) => row.kind)).toContain(
      "Interaction",
    );
    await db.updateTable("oidc_models").set({ expires_at: 0 }).execute();
    const deleted = await first.runtime.retention.runOnce();
    expect(deleted.oidc_models).toBeGreaterThan(0);
    expect(await db.selectFrom("oidc_models").select("kind").execute()).toEqual([]);
  });
});
