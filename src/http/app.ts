/**
 * The Fastify app, built apart from `listen` so that tests drive it with `app.inject()`.
 * Plugins and routes are registered here, in the order requests meet them:
 * security hooks → cookies → schema validation → the module's route → the error mapper.
 */
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifySwagger from "@fastify/swagger";
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifySchemaCompiler } from "fastify";
import { Compile } from "typebox/compile";
import type { AppDeps } from "../app-deps.js";
import { accountsRoutes } from "../modules/accounts/accounts.routes.js";
import { addStaffRoutes } from "../modules/credentials/add-staff.routes.js";
import { credentialsRoutes } from "../modules/credentials/credentials.routes.js";
import { forwardAuthRoutes } from "../modules/forward-auth/forward-auth.routes.js";
import {
  identityProviderRoutes,
  mountIdentityProvider,
} from "../modules/identity-provider/identity-provider.routes.js";
import { twoFactorRoutes } from "../modules/credentials/two-factor.routes.js";
import { passkeysRoutes } from "../modules/credentials/passkeys.routes.js";
import { securityOverviewRoutes } from "../modules/security-overview/security-overview.routes.js";
import { devMailboxRoutes } from "../modules/messaging/messaging.routes.js";
import { passwordResetRoutes } from "../modules/password-reset/password-reset.routes.js";
import { staffRoutes } from "../modules/staff/staff.routes.js";
import { permissionsRoutes } from "../modules/permissions/permissions.routes.js";
import { auditRoutes } from "../modules/audit/audit.routes.js";
import { smsCreditsRoutes } from "../modules/sms-credits/sms-credits.routes.js";
import { supportRoutes } from "../modules/support/support.routes.js";
import { errorHandler } from "./errors.js";
import { RequestLineLogController, loggerOptions } from "./logger.js";
import { registerObservability } from "./observability.js";
import { registerSecurity } from "./security.js";
import { createSessionGuard } from "./session-auth.js";
import { registerRefusalAudit } from "./refusal-audit.js";
import { createMethodIndex, registerInputGuards } from "./input-guards.js";
import { registerWeb } from "./web.js";

export interface BuildAppOptions {
  /** A pino logger instance (tests capture logs this way); default: pino at the config's level. */
  readonly logger?: FastifyBaseLogger;
  /** Folder of the built web UI; default: dist/web beside the server build. */
  readonly webRoot?: string;
  readonly trustProxy?: false | number | string[];
}

const BODY_LIMIT_BYTES = 16 * 1024;
/** Resolves to <project>/dist/web from both src/http (tsx) and dist/http (built). */
const DEFAULT_WEB_ROOT = fileURLToPath(new URL("../../dist/web", import.meta.url));

/** A hop count becomes "trust the first n hops"; addresses pass through; nothing trusts no one. */
function trustProxySetting(trust: false | number | string[]) {
  if (typeof trust === "number") return (_address: string, hop: number) => hop < trust;
  return trust;
}

/** True when every value the schema takes is a string: text from a URL needs no converting. */
function takesOnlyStrings(schema: unknown): boolean {
  if (typeof schema !== "object" || schema === null) return false;
  const s = schema as { type?: unknown; properties?: Record<string, unknown>; anyOf?: unknown[] };
  if (s.type === "string") return true;
  if (Array.isArray(s.anyOf)) return s.anyOf.every(takesOnlyStrings);
  if (s.type === "object" && s.properties) return Object.values(s.properties).every(takesOnlyStrings);
  return false;
}

/**
 * TypeBox's validator compiler, except that a path's or query's schema of strings alone is
 * checked without `Value.Convert` first (which turns "5" into 5 for numeric fields): converting
 * text to text cost ~3 % of a GET /me (docs/benchmarks.md). What is accepted is the same.
 */
const validatorCompiler: FastifySchemaCompiler<unknown> = (route) => {
  if (route.httpPart === "body" || !takesOnlyStrings(route.schema)) return TypeBoxValidatorCompiler(route as never);
  const check = Compile(route.schema as never);
  return (value: unknown) => (check.Check(value) ? { value } : { error: check.Errors(value) as never });
};

export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: loggerOptions(deps.config.logLevel) }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Fastify passes `{}` as child options, which sends pino down its slow path on every request.
    // At `silent` nothing is ever written, so no request needs a child logger of its own (making
    // one, with its redaction, cost ~4 % of a GET /me: docs/benchmarks.md).
    childLoggerFactory: (logger, bindings) => (logger.level === "silent" ? logger : logger.child(bindings)),
    // One line per request, with its status and time, instead of Fastify's two (logger.ts).
    logController: new RequestLineLogController(),
    trustProxy: trustProxySetting(options.trustProxy ?? false),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  app.decorateRequest("portalSession", null);

  // First of all hooks: /oidc/* goes to oidc-provider before bodies are read or the Origin
  // check runs (it protects its own endpoints; see identity-provider.routes.ts).
  mountIdentityProvider(app, deps);
  await registerSecurity(app, deps.config.publicUrl, deps.config.allowedOrigins);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "Staffgate", description: "Office Portal sign-in and password management", version: "1.0.0" },
    },
  });

  const guard = createSessionGuard(deps);
  registerRefusalAudit(app, deps);
  registerInputGuards(app);
  const methods = createMethodIndex(app);
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  // Browsers ask for /favicon.ico on pages that name no icon (JSON answers, the dev mailbox):
  // point them at the UI's icon instead of answering (and logging) a 404 each time.
  app.get("/favicon.ico", { schema: { hide: true } }, async (_request, reply) =>
    reply.status(301).header("Location", "/favicon.svg").header("Cache-Control", "public, max-age=86400").send(),
  );
  registerObservability(app, deps, deps.config.metricsToken);
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  await app.register(accountsRoutes(deps, guard));
  await app.register(credentialsRoutes(deps, guard));
  await app.register(twoFactorRoutes(deps, guard));
  await app.register(passkeysRoutes(deps, guard));
  await app.register(securityOverviewRoutes(deps, guard));
  await app.register(staffRoutes(deps, guard));
  await app.register(addStaffRoutes(deps, guard));
  await app.register(permissionsRoutes());
  await app.register(auditRoutes(deps, guard));
  await app.register(smsCreditsRoutes(deps, guard));
  await app.register(supportRoutes(deps));
  await app.register(passwordResetRoutes(deps, guard));
  await app.register(forwardAuthRoutes(deps));
  await app.register(identityProviderRoutes(deps));
  // DEV_MAILBOX is never true in production (config.ts); the routes answer loopback clients only.
  if (deps.devMailbox && deps.config.devMailbox) await app.register(devMailboxRoutes(deps.devMailbox));
  await registerWeb(app, options.webRoot ?? DEFAULT_WEB_ROOT, methods);

  return app;
}
