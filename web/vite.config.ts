import { fileURLToPath } from "node:url";
import type { IncomingMessage } from "node:http";
import react from "@vitejs/plugin-react";
import { defineConfig, type ProxyOptions } from "vite";

// Where `npm run dev` (the API server) listens; override to proxy to another one.
const apiServer = process.env.STAFFGATE_DEV_API ?? "http://127.0.0.1:3000";

// The API rejects unsafe requests whose Origin is not PUBLIC_URL's origin. In development the
// browser talks to the Vite server, so a same-origin request (Origin matches the Host it was sent
// to) gets its Origin rewritten to the API's public origin. Cross-site requests keep their Origin
// and are still rejected, so the dev proxy does not open a CSRF hole.
const publicOrigin = new URL(process.env.PUBLIC_URL ?? "http://localhost:3000").origin;

function isSameOrigin(req: IncomingMessage): boolean {
  const { origin, host } = req.headers;
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

const proxy: ProxyOptions = {
  target: apiServer,
  configure(server) {
    server.on("proxyReq", (proxyReq, req) => {
      if (isSameOrigin(req)) proxyReq.setHeader("origin", publicOrigin);
    });
  },
};

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
  },
  server: {
    proxy: {
      "/api/": proxy,
      "/healthz": proxy,
      "/dev/": proxy,
    },
  },
});
