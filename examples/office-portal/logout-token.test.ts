// The logout-token checks, against a key made here (no provider needed).
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BACKCHANNEL_LOGOUT_EVENT,
  InvalidLogoutToken,
  verifyLogoutToken,
  type LogoutTokenChecks,
} from "./logout-token.js";
import { SessionStore } from "./sessions.js";

const ISSUER = "http://127.0.0.1:3000/oidc";
const CLIENT_ID = "app_example";
const NOW = 1_800_000_000;

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

let privateKey: PrivateKey;
let strangerKey: PrivateKey;
let checks: LogoutTokenChecks;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  privateKey = pair.privateKey;
  strangerKey = (await generateKeyPair("ES256")).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256" };
  checks = {
    issuer: ISSUER,
    clientId: CLIENT_ID,
    keys: createLocalJWKSet({ keys: [jwk] }),
    algorithms: ["ES256", "RS256"],
    currentDate: new Date(NOW * 1000),
  };
});

const validClaims = (): JWTPayload => ({
  iss: ISSUER,
  aud: CLIENT_ID,
  iat: NOW - 5,
  exp: NOW + 115,
  jti: "jti-1",
  sub: "stf_olivia",
  sid: "sid-1",
  events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
});

async function sign(
  claims: JWTPayload,
  header: { alg?: string; typ?: string } = {},
  key: PrivateKey = privateKey,
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "k1", typ: "logout+jwt", ...header }).sign(key);
}

describe("verifyLogoutToken", () => {
  it("accepts a logout token from the provider to this app, naming the person and the session", async () => {
    expect(await verifyLogoutToken(await sign(validClaims()), checks)).toEqual({
      jti: "jti-1",
      exp: NOW + 115,
      sub: "stf_olivia",
      sid: "sid-1",
    });
    const { sid: _sid, ...subOnly } = validClaims();
    expect(await verifyLogoutToken(await sign(subOnly), checks)).toEqual({
      jti: "jti-1",
      exp: NOW + 115,
      sub: "stf_olivia",
    });
  });

  const refusals: Array<[string, () => Promise<string>]> = [
    ["another issuer", () => sign({ ...validClaims(), iss: "http://127.0.0.1:3001/oidc" })],
    ["another app", () => sign({ ...validClaims(), aud: "app_other" })],
    ["expired", () => sign({ ...validClaims(), iat: NOW - 600, exp: NOW - 300 })],
    ["no exp", () => sign({ ...validClaims(), exp: undefined })],
    ["no iat", () => sign({ ...validClaims(), iat: undefined })],
    ["no jti", () => sign({ ...validClaims(), jti: undefined })],
    ["no events", () => sign({ ...validClaims(), events: undefined })],
    ["another event", () => sign({ ...validClaims(), events: { "http://example.com/other": {} } })],
    ["an event that isn't an object", () => sign({ ...validClaims(), events: { [BACKCHANNEL_LOGOUT_EVENT]: "yes" } })],
    ["a nonce (an ID token's)", () => sign({ ...validClaims(), nonce: "n-1" })],
    ["neither sub nor sid", () => sign({ ...validClaims(), sub: undefined, sid: undefined })],
    ["an ID token's type", () => sign(validClaims(), { typ: "JWT" })],
    ["another key", () => sign(validClaims(), {}, strangerKey)],
    [
      "unsigned (alg none)",
      async () => {
        const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
        return `${encode({ alg: "none", typ: "logout+jwt" })}.${encode(validClaims())}.`;
      },
    ],
    [
      "a tampered payload",
      async () => {
        const [header, , signature] = (await sign(validClaims())).split(".");
        const payload = Buffer.from(JSON.stringify({ ...validClaims(), sub: "stf_someone_else" })).toString(
          "base64url",
        );
        return `${header}.${payload}.${signature}`;
      },
    ],
    ["not a JWT", async () => "not-a-jwt"],
  ];
  for (const [what, token] of refusals) {
    it(`refuses a token with ${what}`, async () => {
      await expect(verifyLogoutToken(await token(), checks)).rejects.toBeInstanceOf(InvalidLogoutToken);
    });
  }
});

describe("SessionStore.endSessionsOf", () => {
  const person = (sub: string, sid: string | undefined) => ({
    sub,
    sid,
    name: "Olivia Harper",
    account: "acme-swim",
    accountName: "Acme Swim",
    adminFullAccess: true,
  });

  it("ends the sessions a token names: by session, by person, or both; a replay ends nothing", () => {
    const store = new SessionStore();
    const a1 = store.create(person("stf_a", "sid-1"), "id-token");
    const a2 = store.create(person("stf_a", "sid-2"), "id-token");
    const b = store.create(person("stf_b", "sid-3"), "id-token");
    expect(store.endSessionsOf({ jti: "1", exp: NOW, sid: "sid-1" })).toBe(1);
    expect(store.get(a1.id)).toBeUndefined();
    expect(store.get(a2.id)).toBeDefined();
    // sid of one person with the sub of another: nobody.
    expect(store.endSessionsOf({ jti: "2", exp: NOW, sub: "stf_b", sid: "sid-2" })).toBe(0);
    expect(store.endSessionsOf({ jti: "3", exp: NOW, sub: "stf_a" })).toBe(1);
    expect(store.get(a2.id)).toBeUndefined();
    expect(store.get(b.id)).toBeDefined();
    const again = store.create(person("stf_a", "sid-4"), "id-token");
    expect(store.endSessionsOf({ jti: "3", exp: NOW, sub: "stf_a" })).toBe(0);
    expect(store.get(again.id)).toBeDefined();
  });

  it("lets a pending sign-in be used once, and not after ten minutes", () => {
    let now = 0;
    const store = new SessionStore(() => now);
    const pending = { state: "s", nonce: "n", codeVerifier: "v", returnTo: "/" };
    const id = store.startSignIn(pending);
    expect(store.takeSignIn(id)).toMatchObject(pending);
    expect(store.takeSignIn(id)).toBeUndefined();
    const late = store.startSignIn(pending);
    now += 10 * 60 * 1000;
    expect(store.takeSignIn(late)).toBeUndefined();
    expect(store.takeSignIn(undefined)).toBeUndefined();
  });
});
