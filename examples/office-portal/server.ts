/**
 * An example app that signs people in through Staffgate (OpenID Connect), for the vendor's
 * developers to copy. No framework: node:http, openid-client for the sign-in, jose for the
 * back-channel logout token.
 *
 *   GET  /                     "Signed in as … at …", or a Sign in button
 *   GET  /admin                only with Admin Access (the `admin_full_access` claim); else 403
 *   GET  /login                to Staffgate: authorization code + PKCE (S256), state, nonce
 *   GET  /callback             back from Staffgate: the code for tokens, then a session here
 *   POST /logout               ends the session here, then at Staffgate (RP-initiated logout)
 *   POST /backchannel-logout   Staffgate says a person's sign-in ended: drop their sessions
 *
 * Run it: see README.md beside this file.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createRemoteJWKSet } from "jose";
import * as oidc from "openid-client";
import { InvalidLogoutToken, verifyLogoutToken } from "./logout-token.js";
import {
  adminPage,
  adminRefusedPage,
  homePage,
  notFoundPage,
  signInFailedPage,
  signInNeededPage,
  STYLESHEET,
} from "./pages.js";
import { SessionStore, type Person } from "./sessions.js";

export interface OfficePortalOptions {
  /** Staffgate's issuer: `{PUBLIC_URL}/oidc`. */
  readonly issuer: string;
  readonly clientId: string;
  /** Omit for a public client (PKCE alone). */
  readonly clientSecret?: string;
  /** Where to listen; 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The app's own origin as browsers reach it; default `http://{host}:{port}`. */
  readonly baseUrl?: string;
  /**
   * The business's slug: Staffgate opens that business's sign-in page (`account_hint`), and only
   * that business's people are let in (the ID token's `account` claim).
   */
  readonly accountHint?: string;
}

export interface RunningOfficePortal {
  readonly url: string;
  readonly sessions: SessionStore;
  close(): Promise<void>;
}

const SESSION_COOKIE = "office_portal_session";
const SIGN_IN_COOKIE = "office_portal_sign_in";
const SCOPES = "openid profile email staffgate";
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** The app's own pages a sign-in may return to; anything else returns home (no open redirect). */
const RETURN_PATHS = new Set(["/", "/admin"]);
const MAX_FORM_BYTES = 16 * 1024;

export async function startOfficePortal(options: OfficePortalOptions): Promise<RunningOfficePortal> {
  const issuer = new URL(options.issuer);
  // Plain http only to a provider on this machine (development); anywhere else it must be https.
  const insecure = issuer.protocol === "http:";
  if (insecure && !LOOPBACK_HOSTS.has(issuer.hostname)) {
    throw new Error(`STAFFGATE_ISSUER must be https (http only on localhost): ${options.issuer}`);
  }
  const config = await oidc.discovery(
    issuer,
    options.clientId,
    undefined,
    options.clientSecret ? oidc.ClientSecretBasic(options.clientSecret) : oidc.None(),
    insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
  const metadata = config.serverMetadata();
  if (!metadata.jwks_uri || !metadata.end_session_endpoint) {
    throw new Error("the provider must publish jwks_uri and end_session_endpoint");
  }
  const keys = createRemoteJWKSet(new URL(metadata.jwks_uri));
  const algorithms = (metadata.id_token_signing_alg_values_supported ?? ["RS256"]).filter(
    (alg) => alg !== "none" && !alg.startsWith("HS"),
  );

  const sessions = new SessionStore();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = (options.baseUrl ?? `http://${options.host ?? "127.0.0.1"}:${port}`).replace(/\/$/, "");
  const secureCookies = baseUrl.startsWith("https:");
  const redirectUri = `${baseUrl}/callback`;

  function setCookie(response: ServerResponse, name: string, value: string, maxAgeSeconds: number): void {
    const attributes = [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`];
    if (secureCookies) attributes.push("Secure");
    const previous = response.getHeader("set-cookie");
    response.setHeader("set-cookie", [...(Array.isArray(previous) ? previous : []), attributes.join("; ")]);
  }

  function send(response: ServerResponse, status: number, html: string): void {
    response.writeHead(status, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      // No script at all; forms may go to this app and on to the provider (a redirect after a
      // form counts as the form's target).
      "content-security-policy": `default-src 'none'; style-src 'self'; form-action 'self' ${issuer.origin}; frame-ancestors 'none'; base-uri 'none'`,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
    response.end(html);
  }

  function redirect(response: ServerResponse, location: string): void {
    response.writeHead(302, { location, "cache-control": "no-store" });
    response.end();
  }

  async function signIn(response: ServerResponse, url: URL): Promise<void> {
    const returnTo = RETURN_PATHS.has(url.searchParams.get("returnTo") ?? "") ? url.searchParams.get("returnTo")! : "/";
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const pendingId = sessions.startSignIn({ state, nonce, codeVerifier, returnTo });
    // The pending sign-in is bound to this browser: a callback URL someone else started (login
    // CSRF) finds no pending sign-in here and is refused.
    setCookie(response, SIGN_IN_COOKIE, pendingId, 600);
    const authorization = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: SCOPES,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state,
      nonce,
      ...(options.accountHint ? { account_hint: options.accountHint } : {}),
    });
    redirect(response, authorization.href);
  }

  async function callback(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const pending = sessions.takeSignIn(cookiesOf(request).get(SIGN_IN_COOKIE));
    setCookie(response, SIGN_IN_COOKIE, "", 0);
    if (!pending) return send(response, 400, signInFailedPage("This sign-in took too long or was already used."));
    const error = url.searchParams.get("error");
    if (error) {
      const reason = error === "access_denied" ? "The sign-in was cancelled." : "Staffgate could not sign you in.";
      return send(response, 400, signInFailedPage(reason));
    }
    let tokens;
    try {
      tokens = await oidc.authorizationCodeGrant(config, new URL(url.pathname + url.search, baseUrl), {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch {
      return send(response, 400, signInFailedPage("Staffgate's answer could not be checked."));
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) return send(response, 400, signInFailedPage("Staffgate sent no ID token."));
    const account = typeof claims["account"] === "string" ? claims["account"] : undefined;
    // `account_hint` is only a hint: the browser can take it out of the request or change it,
    // and someone of any business then signs in with state, nonce and PKCE all matching. The
    // ID token's `account` says which business the person is of; it must be this app's.
    if (options.accountHint !== undefined && account !== options.accountHint) {
      return send(response, 403, signInFailedPage("This app is for another business than the one you signed in at."));
    }
    const person: Person = {
      sub: claims.sub,
      account: account ?? "",
      sid: typeof claims["sid"] === "string" ? claims["sid"] : undefined,
      name: displayName(claims),
      accountName: typeof claims["account_name"] === "string" ? claims["account_name"] : "your business",
      adminFullAccess: claims["admin_full_access"] === true,
    };
    const session = sessions.create(person, tokens.id_token);
    setCookie(response, SESSION_COOKIE, session.id, 8 * 60 * 60);
    redirect(response, pending.returnTo);
  }

  function signOut(request: IncomingMessage, response: ServerResponse): void {
    const id = cookiesOf(request).get(SESSION_COOKIE);
    const session = sessions.get(id);
    sessions.delete(id);
    setCookie(response, SESSION_COOKIE, "", 0);
    if (!session) return redirect(response, "/");
    // Ends the sign-in at Staffgate too, which tells the person's other apps (back-channel).
    const endSession = oidc.buildEndSessionUrl(config, {
      id_token_hint: session.idToken,
      post_logout_redirect_uri: `${baseUrl}/`,
    });
    redirect(response, endSession.href);
  }

  async function backchannelLogout(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const answer = (status: number, body: object) => {
      response.writeHead(status, {
        "content-type": "application/json",
        "cache-control": "no-store",
        ...(status === 200 ? {} : { connection: "close" }),
      });
      response.end(JSON.stringify(body));
    };
    const type = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
    const form = type === "application/x-www-form-urlencoded" ? await readBody(request, MAX_FORM_BYTES) : undefined;
    const token = form === undefined ? null : new URLSearchParams(form).get("logout_token");
    if (!token) return answer(400, { error: "invalid_request", error_description: "logout_token is missing" });
    try {
      const logout = await verifyLogoutToken(token, {
        issuer: metadata.issuer,
        clientId: options.clientId,
        keys,
        algorithms,
      });
      sessions.endSessionsOf(logout);
      return answer(200, {});
    } catch (error) {
      if (error instanceof InvalidLogoutToken)
        return answer(400, { error: "invalid_request", error_description: error.message });
      throw error;
    }
  }

  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", baseUrl);
    const route = `${request.method} ${url.pathname}`;
    const session = () => sessions.get(cookiesOf(request).get(SESSION_COOKIE));
    const handle = async () => {
      switch (route) {
        case "GET /":
          return send(response, 200, homePage(session()));
        case "GET /admin": {
          const person = session();
          if (!person) return send(response, 401, signInNeededPage("/admin"));
          if (!person.adminFullAccess) return send(response, 403, adminRefusedPage(person));
          return send(response, 200, adminPage(person));
        }
        case "GET /login":
          return signIn(response, url);
        case "GET /callback":
          return callback(request, response, url);
        case "POST /logout":
          return signOut(request, response);
        case "POST /backchannel-logout":
          return backchannelLogout(request, response);
        case "GET /style.css":
          response.writeHead(200, { "content-type": "text/css; charset=utf-8", "cache-control": "max-age=3600" });
          return response.end(STYLESHEET);
        default:
          return send(response, 404, notFoundPage());
      }
    };
    handle().catch((error: unknown) => {
      console.error(error);
      if (!response.headersSent) send(response, 500, signInFailedPage("Something went wrong. Please try again."));
      else response.end();
    });
  });

  return {
    url: baseUrl,
    sessions,
    close: () => closeServer(server),
  };
}

function displayName(claims: oidc.IDToken): string {
  if (typeof claims["name"] === "string" && claims["name"].trim() !== "") return claims["name"];
  const parts = [claims["given_name"], claims["family_name"]].filter((part) => typeof part === "string");
  return parts.length > 0 ? parts.join(" ") : "(no name)";
}

function cookiesOf(request: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (request.headers.cookie ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return cookies;
}

function readBody(request: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // Too big: answer without reading it all (the rest is discarded, and the connection closed).
      request.removeAllListeners("data");
      request.resume();
      resolve(undefined);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

// `npx tsx examples/office-portal/server.ts`: configured from the environment.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const env = (name: string) => process.env[name]?.trim() || undefined;
  const issuer = env("STAFFGATE_ISSUER");
  const clientId = env("OIDC_CLIENT_ID");
  if (!issuer || !clientId) {
    console.error(
      "Set STAFFGATE_ISSUER and OIDC_CLIENT_ID (and OIDC_CLIENT_SECRET); see examples/office-portal/README.md",
    );
    process.exit(1);
  }
  const secret = env("OIDC_CLIENT_SECRET");
  const baseUrl = env("BASE_URL");
  const accountHint = env("STAFFGATE_ACCOUNT");
  const app = await startOfficePortal({
    issuer,
    clientId,
    port: Number(env("PORT") ?? 4000),
    ...(secret ? { clientSecret: secret } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(accountHint ? { accountHint } : {}),
  });
  console.log(`Office Portal example on ${app.url} (signing in through ${issuer})`);
}
