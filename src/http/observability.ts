/**
 * Operations endpoints: `/readyz` (the database answers) and Prometheus metrics at `/metrics` —
 * requests, sign-ins by outcome, the password-hash queue, and the outbox backlog and failures.
 * Set METRICS_TOKEN to require `Authorization: Bearer <token>` on /metrics.
 */
import { sql } from "kysely";
import type { FastifyInstance } from "fastify";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { AppDeps } from "../app-deps.js";
import { countMessagesByStatus } from "../modules/messaging/index.js";
import { constantTimeEqual } from "../shared/hash.js";

const SIGN_IN_ROUTE = "/api/accounts/:account/session";

function signInOutcome(status: number): string {
  if (status === 200) return "success";
  if (status === 401) return "invalid_credentials";
  if (status === 429) return "throttled";
  if (status === 503) return "overloaded";
  return "error";
}

export function registerObservability(app: FastifyInstance, deps: AppDeps, metricsToken: string | undefined): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "staffgate_process_" });

  const requests = new Counter({
    name: "staffgate_http_requests_total",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "staffgate_http_request_duration_seconds",
    help: "HTTP request duration by method and route",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const signIns = new Counter({
    name: "staffgate_sign_ins_total",
    help: "Office Portal sign-in attempts by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "staffgate_password_hashes",
    help: "Argon2id hashes running and waiting",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const { inFlight, queued } = deps.hasher.stats;
      this.set({ state: "in_flight" }, inFlight);
      this.set({ state: "queued" }, queued);
    },
  });
  new Gauge({
    name: "staffgate_outbox_messages",
    help: "Outbox messages by status (queued and delivering are the backlog; failed were given up)",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      const counts = await countMessagesByStatus(deps.db);
      for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
    },
  });

  const retentionSeen: Record<string, number> = {};
  new Counter({
    name: "staffgate_retention_deleted_total",
    help: "Rows the retention job deleted (ended sessions, used links, delivered messages, …), by kind",
    labelNames: ["kind"] as const,
    registers: [registry],
    collect() {
      for (const [kind, total] of Object.entries(deps.retentionTotals())) {
        const delta = total - (retentionSeen[kind] ?? 0);
        retentionSeen[kind] = total;
        this.inc({ kind }, delta);
      }
    },
  });

  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "(unmatched)";
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    if (route === SIGN_IN_ROUTE && request.method === "POST") signIns.inc({ outcome: signInOutcome(reply.statusCode) });
  });

  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    // In production the counters (the outbox backlog moves with Forgot Password requests) are
    // not for the public: without a token there are no metrics.
    if (!metricsToken && deps.config.production) return reply.status(404).send("not found\n");
    if (metricsToken) {
      const given = request.headers.authorization ?? "";
      if (!constantTimeEqual(given, `Bearer ${metricsToken}`)) return reply.status(401).send("unauthorized\n");
    }
    reply.header("Cache-Control", "no-store").type(registry.contentType);
    return registry.metrics();
  });

  app.get("/readyz", { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.db);
      return { status: "ready" };
    } catch {
      return reply.status(503).send({ status: "unavailable", reason: "database" });
    }
  });
}
