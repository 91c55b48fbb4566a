/**
 * docs/forward-auth/nginx.conf for real: Debian's nginx (auth_request) in front of a real
 * Staffgate and a small protected app, on both databases. The sample is used as it is written,
 * with only its addresses replaced by free ports; nginx's own process settings (pid, logs, temp
 * folders) live in a wrapper config in a temporary folder.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dialects } from "../support/dialects.js";
import { forwardAuthCases, useProxiedStaffgate, type ProxyPorts } from "./scenarios.js";
import { proxyBinary, proxyClient, readSample, startProxy, substitute } from "./support.js";

const NGINX = proxyBinary("STAFFGATE_NGINX", "/usr/sbin/nginx");

function writeNginxConfig(dir: string, ports: ProxyPorts): string {
  let site = readSample("nginx.conf");
  site = substitute(site, "listen 80;", `listen 127.0.0.1:${ports.proxy};`);
  site = substitute(site, "server 127.0.0.1:3000;", `server 127.0.0.1:${ports.staffgate};`);
  site = substitute(site, "server 127.0.0.1:8080;", `server 127.0.0.1:${ports.app};`);
  writeFileSync(join(dir, "staffgate-site.conf"), site);
  // Only what a test run needs beside the sample: nginx in the foreground, everything it writes
  // in `dir`. Running as root (as here), workers would otherwise drop to `nobody`, who can't
  // write to the temporary folder; under another user nginx ignores `user` with a warning.
  const main = `
daemon off;
user root;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/staffgate-site.conf;
}
`;
  const path = join(dir, "nginx.conf");
  writeFileSync(path, main);
  return path;
}

describe.skipIf(!NGINX).each(dialects)("forward auth behind nginx auth_request, on %s", (dialect) => {
  const ctx = useProxiedStaffgate(dialect, async (dir, ports) => {
    const config = writeNginxConfig(dir, ports);
    return startProxy(NGINX as string, ["-p", dir, "-c", config, "-e", join(dir, "error.log")], ports.proxy, dir);
  });

  // nginx redirects relatively (`absolute_redirect off`), keeping the browser's scheme and host.
  forwardAuthCases(ctx, () => "/a/acme-swim/login");

  it("keeps its verify location internal", async () => {
    const internal = await proxyClient(ctx.origin).request("GET", "/_staffgate/verify");
    expect(internal.status).toBe(404);
    expect(ctx.proxy.output()).not.toMatch(/\[emerg\]/);
  });
});
