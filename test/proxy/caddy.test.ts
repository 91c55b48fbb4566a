/**
 * docs/forward-auth/Caddyfile for real: Debian's Caddy (forward_auth) in front of a real
 * Staffgate and a small protected app, on both databases. The sample is used as it is written,
 * with its addresses replaced by free ports, plus the global options a test run needs.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dialects } from "../support/dialects.js";
import { forwardAuthCases, useProxiedStaffgate, type ProxyPorts } from "./scenarios.js";
import { FORGED_HEADERS, proxyBinary, readSample, startProxy, substitute } from "./support.js";

const CADDY = proxyBinary("STAFFGATE_CADDY", "/usr/bin/caddy");

function writeCaddyfile(dir: string, ports: ProxyPorts): string {
  let site = readSample("Caddyfile");
  site = substitute(site, "portal.example.com {", `http://127.0.0.1:${ports.proxy} {`);
  site = substitute(site, "127.0.0.1:3000", `127.0.0.1:${ports.staffgate}`, 2);
  site = substitute(site, "127.0.0.1:8080", `127.0.0.1:${ports.app}`);
  // No admin endpoint, no certificates, nothing written outside `dir` (HOME points there).
  const path = join(dir, "Caddyfile");
  writeFileSync(path, `{\n\tadmin off\n\tauto_https off\n\tstorage file_system ${dir}/data\n}\n\n${site}`);
  return path;
}

describe.skipIf(!CADDY).each(dialects)("forward auth behind Caddy forward_auth, on %s", (dialect) => {
  const ctx = useProxiedStaffgate(dialect, async (dir, ports) => {
    const config = writeCaddyfile(dir, ports);
    return startProxy(CADDY as string, ["run", "--config", config, "--adapter", "caddyfile"], ports.proxy, dir);
  });

  // Staffgate's own 302 (`redirect=true`), built from PUBLIC_URL: the proxy's origin.
  forwardAuthCases(ctx, () => `${ctx.origin}/a/acme-swim/login`);

  it("removes every X-Staffgate-* header the client sent, also ones Staffgate never answers with", async () => {
    const client = await ctx.signedInClient("pat");
    const seen = await ctx.seenDuring(() =>
      client.request("GET", "/", { headers: { ...FORGED_HEADERS, "X-Staffgate-Role": "owner" } }),
    );
    const headers = seen[0]?.headers ?? {};
    expect(headers["x-staffgate-role"]).toBeUndefined();
    expect(headers["x-staffgate-permissions"] ?? "").toBe("");
    expect(headers["x-staffgate-account"]).toBe("acme-swim");
  });
});
