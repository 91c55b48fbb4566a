/**
 * What every forward-auth sample must do, whichever proxy runs it: strangers go to the sign-in
 * page and never reach the app; the signed-in person reaches it with the X-Staffgate-* headers
 * and nothing the client forged, without Staffgate's cookies; another business's session is a
 * stranger's; signing out ends it. Each proxy's test starts its proxy and registers these.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DialectName } from "../support/dialects.js";
import { SAMPLE_ACCOUNT, insertStaffMember, seedAccount, type TestApp } from "../support/http.js";
import {
  FORGED_HEADERS,
  freePort,
  proxyClient,
  startEchoApp,
  startStaffgateBehind,
  type ProxyProcess,
  type SeenRequest,
} from "./support.js";

const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
const PAT_PASSWORD = "front-desk-pass-1";

export interface ProxyPorts {
  readonly proxy: number;
  readonly staffgate: number;
  readonly app: number;
}

export interface ProxiedStaffgate {
  readonly origin: string;
  readonly proxy: ProxyProcess;
  readonly staffgate: TestApp;
  /** The requests the app saw while `action` ran. */
  seenDuring(action: () => Promise<unknown>): Promise<SeenRequest[]>;
  /** A client of the proxy's origin, signed in through it. */
  signedInClient(login: "admin" | "pat", slug?: string): Promise<ReturnType<typeof proxyClient>>;
}

/**
 * Staffgate (PUBLIC_URL: the proxy's origin) with Acme Swim, Pat (no permissions) and a second
 * business, the echo app, and the proxy that `start` launches, for the enclosing describe.
 */
export function useProxiedStaffgate(
  dialect: DialectName,
  start: (dir: string, ports: ProxyPorts) => Promise<ProxyProcess>,
): ProxiedStaffgate {
  let dir = "";
  let origin = "";
  let staffgate: TestApp | undefined;
  let app: Awaited<ReturnType<typeof startEchoApp>> | undefined;
  let proxy: ProxyProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "staffgate-proxy-"));
    const ports = { proxy: await freePort(), staffgate: await freePort(), app: await freePort() };
    origin = `http://127.0.0.1:${ports.proxy}`;
    const started = await startStaffgateBehind(dialect, ports.staffgate, origin);
    staffgate = started.t;
    await insertStaffMember(staffgate, started.accountId, { username: "pat", password: PAT_PASSWORD });
    await seedAccount(staffgate, { slug: "other-gym", name: "Other Gym", ownerEmail: "o@other.example" });
    app = await startEchoApp(ports.app);
    proxy = await start(dir, ports);
  });

  afterAll(async () => {
    await proxy?.stop();
    await app?.close();
    await staffgate?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the proxy starts in beforeAll");
    return value;
  };

  return {
    get origin() {
      return origin;
    },
    get proxy() {
      return started(proxy);
    },
    get staffgate() {
      return started(staffgate);
    },
    async seenDuring(action) {
      const seen = started(app).seen;
      const before = seen.length;
      await action();
      return seen.slice(before);
    },
    async signedInClient(login, slug = SAMPLE_ACCOUNT.slug) {
      const client = proxyClient(origin);
      const password = login === "admin" ? OWNER_PASSWORD : PAT_PASSWORD;
      const reply = await client.request("POST", `/api/accounts/${slug}/session`, { body: { login, password } });
      expect(reply.status, await reply.text()).toBe(200);
      expect(client.jar.get("staffgate_session")).toBeTruthy();
      return client;
    },
  };
}

/** The cases every sample passes; `signInLocation` is where a stranger is sent. */
export function forwardAuthCases(ctx: ProxiedStaffgate, signInLocation: () => string): void {
  it("sends a stranger to the business's sign-in page, and the app never sees the request", async () => {
    const client = proxyClient(ctx.origin);
    const seen = await ctx.seenDuring(async () => {
      for (const path of ["/", "/reports?month=12", "/admin/"]) {
        const reply = await client.request("GET", path, { headers: FORGED_HEADERS });
        expect(reply.status, path).toBe(302);
        expect(reply.headers.get("location"), path).toBe(signInLocation());
      }
      // Cookies that sign nobody in are strangers too.
      const forged = await client.request("GET", "/", { extraCookies: "staffgate_session=made-up" });
      expect(forged.status).toBe(302);
      const post = await client.request("POST", "/orders", { body: { item: 1 } });
      expect(post.status).toBe(302);
    });
    expect(seen).toEqual([]);
  });

  it("serves Staffgate's own API on the same origin", async () => {
    const account = await proxyClient(ctx.origin).request("GET", "/api/accounts/acme-swim");
    expect(account.status).toBe(200);
    expect(await account.json()).toEqual({ slug: "acme-swim", name: "Acme Swim" });
  });

  it("passes the signed-in person to the app in X-Staffgate-* headers, and nothing the client forged", async () => {
    const { jar } = await ctx.signedInClient("admin");
    // The OpenID provider's session cookie and its signature too, as a browser holds them from a
    // Staffgate that set them with Path=/ (now Path=/oidc: they no longer reach the app).
    const staffgateCookies = [
      ...[...jar].map(([name, value]) => `${name}=${value}`),
      "staffgate_oidc_session=provider-session-id",
      "staffgate_oidc_session.sig=provider-session-signature",
    ];
    // The app's cookies before, between and after Staffgate's.
    const cookies = ["theme=dark", ...staffgateCookies.flatMap((cookie, i) => [cookie, `app${i}=x`])];
    const seen = await ctx.seenDuring(async () => {
      const reply = await proxyClient(ctx.origin).request("GET", "/reports?month=12", {
        headers: FORGED_HEADERS,
        extraCookies: cookies.join("; "),
      });
      expect(reply.status).toBe(200);
    });
    expect(seen).toHaveLength(1);
    const headers = seen[0]?.headers ?? {};
    expect(seen[0]?.url).toBe("/reports?month=12");
    expect(headers["x-staffgate-account"]).toBe("acme-swim");
    expect(headers["x-staffgate-username"]).toBe("admin");
    expect(headers["x-staffgate-staff-id"]).toMatch(/^stf_/);
    expect(headers["x-staffgate-staff-id"]).not.toMatch(/forge/);
    expect(headers["x-staffgate-permissions"]).toBe("admin,staff.view,staff.edit");
    // The app gets its own cookies, never Staffgate's session id.
    expect(headers.cookie).toBe(["theme=dark", ...staffgateCookies.map((_, i) => `app${i}=x`)].join("; "));
  });

  it("drops a forged permissions header when the person has no permissions", async () => {
    const client = await ctx.signedInClient("pat");
    const seen = await ctx.seenDuring(() => client.request("GET", "/", { headers: FORGED_HEADERS }));
    const headers = seen[0]?.headers ?? {};
    expect(headers["x-staffgate-username"]).toBe("pat");
    expect(headers["x-staffgate-staff-id"]).toBe("stf_pat");
    expect(headers["x-staffgate-account"]).toBe("acme-swim");
    // Absent (nginx sends no empty header) or empty: no permissions either way.
    expect(headers["x-staffgate-permissions"] ?? "").toBe("");
    expect(headers.cookie ?? "").toBe("");
  });

  it("lets a signed-in POST through with its body, and the app's own query", async () => {
    const client = await ctx.signedInClient("admin");
    const seen = await ctx.seenDuring(async () => {
      const reply = await client.request("POST", "/orders?page=2", { body: { item: 42 } });
      expect(reply.status).toBe(200);
    });
    expect(seen.map((request) => [request.method, request.url, request.body])).toEqual([
      ["POST", "/orders?page=2", '{"item":42}'],
    ]);
  });

  it("refuses a session of another business, the sample requiring acme-swim", async () => {
    const client = await ctx.signedInClient("admin", "other-gym");
    const seen = await ctx.seenDuring(async () => {
      const reply = await client.request("GET", "/");
      expect(reply.status).toBe(302);
      expect(reply.headers.get("location")).toBe(signInLocation());
    });
    expect(seen).toEqual([]);
  });

  it("sends the person back to sign in once they sign out, and an old copy of the cookie is worthless", async () => {
    const client = await ctx.signedInClient("admin");
    expect((await client.request("GET", "/")).status).toBe(200);
    const oldCookie = `staffgate_session=${client.jar.get("staffgate_session")}`;
    const out = await client.request("DELETE", "/api/accounts/acme-swim/session");
    expect(out.status).toBe(204);
    expect(client.jar.has("staffgate_session")).toBe(false);
    const after = await client.request("GET", "/");
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toBe(signInLocation());
    expect((await proxyClient(ctx.origin).request("GET", "/", { extraCookies: oldCookie })).status).toBe(302);
  });
}
