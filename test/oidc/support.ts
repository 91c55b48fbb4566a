/**
 * Support for the identity provider's tests: a real Staffgate listening on loopback (openid-client
 * needs a real fetch target), a browser stand-in that keeps cookies and follows redirects by hand,
 * the relying party (openid-client 6, http allowed on loopback), and an app's back-channel logout
 * endpoint that verifies every logout token it receives against the provider's JWKS.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import * as client from "openid-client";
import { buildApp } from "../../src/http/app.js";
import { createAccount, type CreateAccountInput } from "../../src/modules/accounts/index.js";
import { createOidcClient, type NewOidcClient } from "../../src/modules/identity-provider/index.js";
import { SAMPLE_ACCOUNT, insertStaffMember, type TestApp } from "../support/http.js";
import { createTestRuntime, type DialectName, type TestRuntime, type TestRuntimeOptions } from "../support/dialects.js";

export interface OidcServer {
  /** PUBLIC_URL: where people and apps think Staffgate is. */
  readonly url: string;
  /** Where this node really listens (another node of the same PUBLIC_URL listens elsewhere). */
  readonly listenUrl: string;
  readonly issuer: string;
  readonly runtime: TestRuntime;
  readonly app: FastifyInstance;
  /** The shape test/support/http.ts helpers take. */
  readonly testApp: TestApp;
  close(): Promise<void>;
}

async function listen(app: FastifyInstance, port = 0): Promise<number> {
  await app.listen({ port, host: "127.0.0.1" });
  return (app.server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A Staffgate node whose PUBLIC_URL is where it listens; `joinDatabaseOf` makes a second node. */
export async function startOidcServer(
  dialect: DialectName,
  options: TestRuntimeOptions & { readonly publicUrl?: string } = {},
): Promise<OidcServer> {
  const port = await freePort();
  const url = options.publicUrl ?? `http://127.0.0.1:${port}`;
  const runtime = await createTestRuntime(dialect, { ...options, env: { ...options.env, PUBLIC_URL: url } });
  const app = await buildApp(runtime.deps);
  await listen(app, port);
  const testApp: TestApp = {
    app,
    runtime,
    request: ({ cookie, headers, ...rest }) =>
      app.inject({ ...rest, headers: { origin: url, ...(cookie ? { cookie } : {}), ...headers } }),
    close: async () => undefined,
  };
  return {
    url,
    listenUrl: `http://127.0.0.1:${port}`,
    issuer: `${url}/oidc`,
    runtime,
    app,
    testApp,
    close: async () => {
      await app.close();
      await runtime.close();
    },
  };
}

export async function seedBusiness(server: OidcServer, input: Partial<CreateAccountInput> = {}) {
  return createAccount(server.runtime.deps, { ...SAMPLE_ACCOUNT, ...input });
}

export async function addPerson(
  server: OidcServer,
  accountId: string,
  fields: { username: string; password: string; adminFullAccess?: boolean; permissions?: string[]; email?: string },
): Promise<string> {
  return insertStaffMember(server.testApp, accountId, fields);
}

/** Registers an app; as one in development (`--development`), since the tests' apps are on loopback. */
export async function registerApp(server: OidcServer, input: NewOidcClient) {
  const deps = server.runtime.deps;
  return createOidcClient(deps.db, deps, { development: true, ...input });
}

/** A browser stand-in: cookies by path, redirects followed by hand. */
export class Browser {
  private readonly jar = new Map<string, { value: string; path: string }>();

  /** `via`: the node to send requests to, as a load balancer would (default: the origin itself). */
  constructor(
    private readonly origin: string,
    public via: string = origin,
  ) {}

  cookieHeader(path: string): string {
    return [...this.jar.entries()]
      .filter(([, cookie]) => path.startsWith(cookie.path))
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join("; ");
  }

  hasCookie(name: string): boolean {
    return this.jar.has(name);
  }

  cookie(name: string): { readonly value: string; readonly path: string } | undefined {
    return this.jar.get(name);
  }

  /** Drops the cookies whose names start with `prefix`, as closing the browser drops session cookies. */
  forget(prefix: string): void {
    for (const name of [...this.jar.keys()]) if (name.startsWith(prefix)) this.jar.delete(name);
  }

  private store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith("path="))?.slice(5) ?? "/";
      const expired =
        attributes.some((a) => /^max-age=0$/i.test(a)) ||
        attributes.some((a) => a.toLowerCase().startsWith("expires=") && Date.parse(a.slice(8)) < Date.now()) ||
        value === "";
      if (expired) this.jar.delete(name);
      else this.jar.set(name, { value, path });
    }
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url, this.origin);
    const headers = new Headers(init.headers);
    if (target.origin === this.origin) {
      const cookie = this.cookieHeader(target.pathname);
      if (cookie) headers.set("cookie", cookie);
    }
    const sent = target.origin === this.origin ? new URL(target.pathname + target.search, this.via) : target;
    const response = await fetch(sent, { ...init, headers, redirect: "manual" });
    if (target.origin === this.origin) this.store(response);
    return response;
  }

  /**
   * Follows redirects within Staffgate, and submits oidc-provider's self-submitting forms as a
   * browser's script would; stops at the first address elsewhere or at a page.
   */
  async follow(url: string, init: RequestInit = {}): Promise<{ response: Response; url: string }> {
    let current = new URL(url, this.origin).href;
    let response = await this.fetch(current, init);
    for (let hops = 0; hops < 10; hops++) {
      if (response.status >= 300 && response.status < 400) {
        const location = response.headers.get("location");
        if (!location) break;
        current = new URL(location, current).href;
        if (new URL(current).origin !== this.origin) return { response, url: current };
        response = await this.fetch(current);
        continue;
      }
      const form = response.status === 200 ? selfSubmittingForm(await response.clone().text()) : undefined;
      if (!form) break;
      current = new URL(form.action, current).href;
      response = await this.fetch(current, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: this.origin },
        body: new URLSearchParams(form.fields).toString(),
      });
    }
    return { response, url: current };
  }

  /** Signs in on the portal as the sign-in page does. */
  async signIn(slug: string, login: string, password: string): Promise<Response> {
    const response = await this.fetch(`/api/accounts/${slug}/session`, {
      method: "POST",
      headers: { origin: this.origin, "content-type": "application/json" },
      body: JSON.stringify({ login, password }),
    });
    if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
    return response;
  }

  async signOut(slug: string): Promise<number> {
    const response = await this.fetch(`/api/accounts/${slug}/session`, {
      method: "DELETE",
      headers: { origin: this.origin },
    });
    return response.status;
  }
}

/** oidc-provider's "Submitting Callback" page: its form's action and hidden fields. */
function selfSubmittingForm(html: string): { action: string; fields: Record<string, string> } | undefined {
  if (!html.includes("document.forms[0].submit()")) return undefined;
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) return undefined;
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) {
    fields[match[1] as string] = (match[2] as string).replace(/&amp;/g, "&");
  }
  return { action: action.replace(/&amp;/g, "&"), fields };
}

export interface RelyingParty {
  readonly config: client.Configuration;
  readonly clientId: string;
  readonly redirectUri: string;
}

/** `via`: a function naming the node each of the app's requests goes to (a load balancer). */
export async function relyingParty(
  server: OidcServer,
  registered: { clientId: string; clientSecret?: string },
  redirectUri: string,
  via?: () => string,
): Promise<RelyingParty> {
  const auth = registered.clientSecret ? client.ClientSecretBasic(registered.clientSecret) : client.None();
  const balanced: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const sent = via && url.origin === server.url ? new URL(url.pathname + url.search, via()) : url;
    return fetch(sent, init);
  };
  const config = await client.discovery(new URL(server.issuer), registered.clientId, undefined, auth, {
    execute: [client.allowInsecureRequests],
    [client.customFetch]: balanced,
  });
  config[client.customFetch] = balanced;
  return { config, clientId: registered.clientId, redirectUri };
}

export interface AuthorizationAttempt {
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly url: URL;
}

export async function authorizationRequest(
  rp: RelyingParty,
  extra: Record<string, string> = {},
): Promise<AuthorizationAttempt> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(rp.config, {
    redirect_uri: rp.redirectUri,
    scope: "openid profile email staffgate",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  });
  return { verifier, state, nonce, url };
}

/** Runs the authorization in the browser: where it ended (the app's callback, or a Staffgate page). */
export async function authorize(browser: Browser, attempt: AuthorizationAttempt): Promise<string> {
  return (await browser.follow(attempt.url.href)).url;
}

export async function redeem(rp: RelyingParty, attempt: AuthorizationAttempt, callbackUrl: string) {
  return client.authorizationCodeGrant(rp.config, new URL(callbackUrl), {
    pkceCodeVerifier: attempt.verifier,
    expectedState: attempt.state,
    expectedNonce: attempt.nonce,
    idTokenExpected: true,
  });
}

export interface ReceivedLogout {
  readonly payload: JWTPayload;
  readonly header: { alg?: string; kid?: string; typ?: string };
}

/** An app's back-channel logout endpoint: keeps every logout token after verifying it. */
export interface LogoutReceiver {
  readonly uri: string;
  readonly received: ReceivedLogout[];
  /** Tokens that failed verification (there must be none). */
  readonly rejected: string[];
  /** Answer with this status (e.g. 503 to make the outbox retry). */
  status: number;
  close(): Promise<void>;
}

export async function startLogoutReceiver(
  server: Pick<OidcServer, "issuer">,
  audience: () => string,
  jwksUrl = `${server.issuer}/jwks`,
): Promise<LogoutReceiver> {
  const jwks = createRemoteJWKSet(new URL(jwksUrl));
  const receiver: LogoutReceiver = {
    uri: "",
    received: [],
    rejected: [],
    status: 200,
    close: async () => undefined,
  };
  const http: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += String(chunk)));
    req.on("end", () => {
      void (async () => {
        if (receiver.status !== 200) {
          res.statusCode = receiver.status;
          res.end();
          return;
        }
        const token = new URLSearchParams(body).get("logout_token") ?? "";
        try {
          const { payload, protectedHeader } = await jwtVerify(token, jwks, {
            issuer: server.issuer,
            audience: audience(),
            typ: "logout+jwt",
          });
          receiver.received.push({ payload, header: protectedHeader });
          res.statusCode = 200;
        } catch {
          receiver.rejected.push(token);
          res.statusCode = 400;
        }
        res.end();
      })();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  Object.assign(receiver, {
    uri: `http://127.0.0.1:${port}/backchannel-logout`,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  });
  return receiver;
}

/** Delivers the outbox until nothing due is left (logout tokens included). */
export async function deliverOutbox(server: OidcServer): Promise<void> {
  while ((await server.runtime.outboxWorker.runOnce()) > 0) {
    // a pass claims one batch at most
  }
}

/** The OAuth error code a rejected openid-client call carries (`invalid_grant`, …), or its message. */
export async function oauthError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const { error: code, message, cause } = error as { error?: string; message?: string; cause?: unknown };
    // A WWW-Authenticate challenge (userinfo): its `error` parameter.
    const challenge = Array.isArray(cause) ? (cause[0] as { parameters?: { error?: string } }) : undefined;
    return code ?? challenge?.parameters?.error ?? message ?? String(error);
  }
  throw new Error("expected the call to fail");
}
