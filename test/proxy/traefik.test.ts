/**
 * docs/forward-auth/traefik.yml as far as this machine allows: Traefik isn't installed here (nor
 * in CI), so the sample is parsed and its keys checked, and the request its ForwardAuth address
 * names is sent to a real Staffgate — as Traefik sends it: only the Cookie header (its
 * `authRequestHeaders`). What Traefik itself does with the answer is documented, not tested.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { dialects } from "../support/dialects.js";
import {
  ORIGIN,
  SAMPLE_ACCOUNT,
  createTestApp,
  seedAccount,
  sessionCookie,
  signIn,
  type TestApp,
} from "../support/http.js";
import { readSample } from "./support.js";

interface TraefikSample {
  http: {
    routers: Record<string, { rule: string; priority: number; service: string; middlewares?: string[] }>;
    middlewares: Record<
      string,
      { forwardAuth: { address: string; authRequestHeaders: string[]; authResponseHeadersRegex: string } }
    >;
    services: Record<string, { loadBalancer: { servers: { url: string }[] } }>;
  };
}

const sample = parse(readSample("traefik.yml")) as TraefikSample;
const { routers, middlewares, services } = sample.http;

/** The paths each sample sends to Staffgate rather than to the app: the same in all three. */
export const STAFFGATE_PATHS = [
  "/a/",
  "/api/",
  "/assets/",
  "/oidc/",
  "/favicon.svg",
  "/reset-password",
  "/verify-email",
  "/unlock",
];

describe("the Traefik sample's configuration", () => {
  it("routes Staffgate's paths to Staffgate, ahead of the app, and everything else to the app through forward auth", () => {
    const staffgate = routers["staffgate"];
    const app = routers["office-app"];
    expect(staffgate?.service).toBe("staffgate");
    expect(staffgate?.middlewares ?? []).toEqual([]);
    const paths = [...(staffgate?.rule ?? "").matchAll(/Path(?:Prefix)?\(`([^`]+)`\)/g)].map((match) => match[1]);
    expect(paths).toEqual(STAFFGATE_PATHS);
    expect(app?.rule).toBe("Host(`portal.example.com`)");
    expect(app?.service).toBe("office-app");
    expect(app?.middlewares).toEqual(["staffgate-auth"]);
    expect(staffgate?.priority).toBeGreaterThan(app?.priority ?? Infinity);
    expect(services["staffgate"]?.loadBalancer.servers).toEqual([{ url: "http://127.0.0.1:3000" }]);
    expect(services["office-app"]?.loadBalancer.servers).toEqual([{ url: "http://127.0.0.1:8080" }]);
  });

  it("asks Staffgate with the cookie only, and lets no client-sent X-Staffgate-* header through", () => {
    const forwardAuth = middlewares["staffgate-auth"]?.forwardAuth;
    expect(forwardAuth?.authRequestHeaders).toEqual(["Cookie"]);
    // Traefik deletes the request's headers that match, then copies the answer's; Go gives
    // header names in canonical form, which is what the pattern is written in.
    const pattern = new RegExp(forwardAuth?.authResponseHeadersRegex ?? "^$");
    for (const name of [
      "X-Staffgate-Account",
      "X-Staffgate-Staff-Id",
      "X-Staffgate-Username",
      "X-Staffgate-Permissions",
    ]) {
      expect(pattern.test(name), name).toBe(true);
    }
    expect(pattern.test("X-Staffgate-Role")).toBe(true); // a forged extra is deleted too
    expect(pattern.test("X-Forwarded-For")).toBe(false);
    expect(pattern.test("Cookie")).toBe(false);
  });

  it("is what the nginx and Caddy samples route to Staffgate too", () => {
    const nginx = readSample("nginx.conf");
    const caddy = readSample("Caddyfile");
    for (const path of STAFFGATE_PATHS) {
      const exact = !path.endsWith("/");
      expect(nginx, path).toContain(exact ? `location = ${path} {` : `location ${path} {`);
      expect(caddy, path).toMatch(new RegExp(`@staffgate path .*${exact ? path : `${path}\\*`}( |$)`, "m"));
    }
  });
});

describe.each(dialects)("the Traefik sample's ForwardAuth address against Staffgate, on %s", (dialect) => {
  let t: TestApp;
  const address = new URL(middlewares["staffgate-auth"]?.forwardAuth.address ?? "");
  const verify = (cookie?: string) =>
    t.request({ method: "GET", url: `${address.pathname}${address.search}`, ...(cookie ? { cookie } : {}) });

  beforeEach(async () => {
    t = await createTestApp(dialect);
    await seedAccount(t);
    await seedAccount(t, { slug: "other-gym", name: "Other Gym", ownerEmail: "o@other.example" });
  });
  afterEach(async () => t.close());

  it("answers a stranger, or another business's session, with a 302 to the sign-in page on PUBLIC_URL", async () => {
    for (const cookie of [
      undefined,
      sessionCookie(await signIn(t, "admin", SAMPLE_ACCOUNT.ownerPassword as string, "other-gym")),
    ]) {
      const reply = await verify(cookie);
      expect(reply.statusCode).toBe(302);
      expect(reply.headers.location).toBe(`${ORIGIN}/a/acme-swim/login`);
      expect(Object.keys(reply.headers).filter((name) => /^x-staffgate-/i.test(name))).toEqual([]);
    }
  });

  it("answers the signed-in person with exactly the headers the sample copies", async () => {
    const cookie = sessionCookie(await signIn(t, "admin", SAMPLE_ACCOUNT.ownerPassword as string));
    const reply = await verify(cookie);
    expect(reply.statusCode).toBe(200);
    const pattern = new RegExp(middlewares["staffgate-auth"]?.forwardAuth.authResponseHeadersRegex ?? "^$", "i");
    expect(
      Object.keys(reply.headers)
        .filter((name) => pattern.test(name))
        .sort(),
    ).toEqual(["x-staffgate-account", "x-staffgate-permissions", "x-staffgate-staff-id", "x-staffgate-username"]);
  });
});
