// The example app over HTTP, against a stand-in provider (discovery and keys only, served
// here): what it sends to the provider, what it refuses, and its back-channel logout endpoint.
// e2e/office-portal.test.ts drives it through the real Staffgate in a browser.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKCHANNEL_LOGOUT_EVENT } from "./logout-token.js";
import { startOfficePortal, type RunningOfficePortal } from "./server.js";

const CLIENT_ID = "app_example";

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

let provider: Server;
let issuer: string;
let signingKey: PrivateKey;
let app: RunningOfficePortal;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  signingKey = pair.privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" }] };
  provider = createServer((request, response) => {
    const body =
      request.url === "/oidc/.well-known/openid-configuration"
        ? {
            issuer,
            authorization_endpoint: `${issuer}/auth`,
            token_endpoint: `${issuer}/token`,
            jwks_uri: `${issuer}/jwks`,
            end_session_endpoint: `${issuer}/session/end`,
            id_token_signing_alg_values_supported: ["ES256"],
            code_challenge_methods_supported: ["S256"],
          }
        : request.url === "/oidc/jwks"
          ? jwks
          : undefined;
    response.writeHead(body ? 200 : 404, { "content-type": "application/json" });
    response.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/oidc`;
  app = await startOfficePortal({ issuer, clientId: CLIENT_ID, clientSecret: "s3cret", accountHint: "acme-swim" });
});

afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => provider?.close(resolve));
});

const get = (path: string, cookie?: string) =>
  fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { cookie } : {} });

function signedIn(fields: { sub?: string; sid?: string; name?: string; adminFullAccess?: boolean } = {}) {
  const session = app.sessions.create(
    {
      sub: fields.sub ?? "stf_olivia",
      sid: fields.sid ?? "sid-1",
      name: fields.name ?? "Olivia Harper",
      account: "acme-swim",
      accountName: "Acme Swim",
      adminFullAccess: fields.adminFullAccess ?? true,
    },
    "the-id-token",
  );
  return { session, cookie: `office_portal_session=${session.id}` };
}

function logoutToken(claims: JWTPayload = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    iss: issuer,
    aud: CLIENT_ID,
    iat: now,
    exp: now + 120,
    jti: crypto.randomUUID(),
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    ...claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: "ES256", kid: "k1", typ: "logout+jwt" }).sign(signingKey);
}

const backchannel = (body: string, type = "application/x-www-form-urlencoded") =>
  fetch(`${app.url}/backchannel-logout`, { method: "POST", headers: { "content-type": type }, body });

describe("the Office Portal example app", () => {
  it("starts a sign-in with PKCE S256, state, nonce and the business's hint, bound to this browser", async () => {
    const reply = await get("/login?returnTo=/admin");
    expect(reply.status).toBe(302);
    const location = new URL(reply.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(`${issuer}/auth`);
    const params = Object.fromEntries(location.searchParams);
    expect(params).toMatchObject({
      client_id: CLIENT_ID,
      response_type: "code",
      redirect_uri: `${app.url}/callback`,
      scope: "openid profile email staffgate",
      code_challenge_method: "S256",
      account_hint: "acme-swim",
    });
    expect(params["code_challenge"]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params["state"]).toBeTruthy();
    expect(params["nonce"]).toBeTruthy();
    const cookie = reply.headers.getSetCookie().find((c) => c.startsWith("office_portal_sign_in="));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it("refuses a callback this browser didn't start (login CSRF), and one used twice", async () => {
    const reply = await get("/callback?code=stolen&state=whatever");
    expect(reply.status).toBe(400);
    expect(await reply.text()).toContain("Sign-in didn't finish");
    const started = await get("/login");
    const pending = (started.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
    const state = new URL(started.headers.get("location") ?? "").searchParams.get("state");
    // The provider's answer is an error: the pending sign-in is used up all the same.
    expect((await get(`/callback?error=access_denied&state=${state}`, pending)).status).toBe(400);
    expect(await (await get(`/callback?code=x&state=${state}`, pending)).text()).toContain(
      "took too long or was already used",
    );
  });

  it("returns only to its own pages after sign-in", async () => {
    for (const returnTo of ["https://evil.example/", "//evil.example", "/admin/../../x"]) {
      const reply = await get(`/login?returnTo=${encodeURIComponent(returnTo)}`);
      expect(reply.status).toBe(302);
      // The only address in play is the provider's; where the callback returns is kept here.
      expect(reply.headers.get("location")).not.toContain("evil");
    }
  });

  it("shows who is signed in, escaping what the ID token says", async () => {
    const { cookie } = signedIn({ name: '<img src=x onerror="alert(1)">' });
    const page = await (await get("/", cookie)).text();
    expect(page).toContain(
      "Signed in as <strong>&#60;img src=x onerror=&#34;alert(1)&#34;&#62;</strong> at <strong>Acme Swim</strong>",
    );
    expect(page).not.toContain("<img");
    const anonymous = await get("/");
    expect(anonymous.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await anonymous.text()).toContain("Sign in with Staffgate");
  });

  it("opens the admin page to Admin Access only, and says why to others", async () => {
    expect((await get("/admin", signedIn({ adminFullAccess: true }).cookie)).status).toBe(200);
    const refused = await get("/admin", signedIn({ adminFullAccess: false }).cookie);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("only for people with Admin Access at Acme Swim");
    const stranger = await get("/admin");
    expect(stranger.status).toBe(401);
    expect(await stranger.text()).toContain('name="returnTo" value="/admin"');
  });

  it("signs out here, then at the provider with the ID token as a hint", async () => {
    const { session, cookie } = signedIn();
    const reply = await fetch(`${app.url}/logout`, { method: "POST", redirect: "manual", headers: { cookie } });
    expect(reply.status).toBe(302);
    const location = new URL(reply.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(`${issuer}/session/end`);
    expect(location.searchParams.get("id_token_hint")).toBe("the-id-token");
    expect(location.searchParams.get("post_logout_redirect_uri")).toBe(`${app.url}/`);
    expect(app.sessions.get(session.id)).toBeUndefined();
    expect((await fetch(`${app.url}/logout`, { method: "GET", redirect: "manual" })).status).toBe(404);
  });

  it("drops every session of the person a valid logout token names, uncached", async () => {
    const first = signedIn({ sub: "stf_sam", sid: "sid-a" });
    const second = signedIn({ sub: "stf_sam", sid: "sid-b" });
    const other = signedIn({ sub: "stf_pat", sid: "sid-c" });
    const reply = await backchannel(`logout_token=${await logoutToken({ sub: "stf_sam" })}`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("cache-control")).toBe("no-store");
    expect(app.sessions.get(first.session.id)).toBeUndefined();
    expect(app.sessions.get(second.session.id)).toBeUndefined();
    expect(app.sessions.get(other.session.id)).toBeDefined();
    expect(await (await get("/", first.cookie)).text()).toContain("You are not signed in.");
  });

  it("answers 400 to anything but a valid logout token, and ends no session", async () => {
    const { session } = signedIn({ sub: "stf_olivia" });
    const forged = await new SignJWT({ events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, sub: "stf_olivia" })
      .setProtectedHeader({ alg: "ES256", kid: "k1", typ: "logout+jwt" })
      .setIssuer(issuer)
      .setAudience(CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime("2m")
      .setJti("j")
      .sign((await generateKeyPair("ES256")).privateKey);
    const cases: Array<[string, string | undefined]> = [
      ["no token", ""],
      ["a token signed by someone else", `logout_token=${forged}`],
      ["a token for another app", `logout_token=${await logoutToken({ sub: "stf_olivia", aud: "app_other" })}`],
      ["a token with a nonce", `logout_token=${await logoutToken({ sub: "stf_olivia", nonce: "n" })}`],
      ["JSON instead of a form", undefined],
      ["an oversized form", `logout_token=${"a".repeat(20_000)}`],
    ];
    for (const [what, body] of cases) {
      const reply =
        body === undefined
          ? await backchannel(JSON.stringify({ logout_token: "x" }), "application/json")
          : await backchannel(body);
      expect(reply.status, what).toBe(400);
      expect(reply.headers.get("cache-control"), what).toBe("no-store");
      expect(((await reply.json()) as { error?: string }).error, what).toBe("invalid_request");
    }
    expect(app.sessions.get(session.id)).toBeDefined();
  });

  it("refuses a provider over plain http anywhere but this machine", async () => {
    await expect(startOfficePortal({ issuer: "http://staffgate.example/oidc", clientId: CLIENT_ID })).rejects.toThrow(
      /must be https/,
    );
  });
});
