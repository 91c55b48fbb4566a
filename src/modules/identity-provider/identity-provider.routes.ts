/**
 * HTTP for the identity provider: oidc-provider (a Koa app) answers everything under `/oidc`,
 * except the sign-in step `/oidc/interaction/{uid}`, which is Staffgate's own (interaction.ts).
 *
 * The hand-over happens in an `onRequest` hook registered before every other: Fastify has not
 * read the body yet (oidc-provider parses its own), and Staffgate's Origin check does not apply.
 * Its endpoints are protected by oidc-provider itself: the token, revocation and introspection
 * endpoints are called server to server with client authentication and PKCE, and the logout
 * confirmation carries oidc-provider's own anti-forgery value. The request is rewritten for the
 * mount path the way oidc-provider's docs describe mounting under a path (`originalUrl` keeps
 * the full path, `url` loses the prefix), and its X-Forwarded-* headers are set from PUBLIC_URL
 * and Fastify's client address (which honours TRUST_PROXY), so every URL oidc-provider builds
 * comes from PUBLIC_URL, never from the Host header.
 */
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type { AppDeps } from "../../app-deps.js";
import { securityHeaders } from "../../http/security.js";
import { sessionCookieName } from "../../http/session-auth.js";
import { continueInteraction } from "./interaction.js";
import { PAGE_CONTENT_SECURITY_POLICY, errorPage } from "./pages.js";
import { INTERACTION_PATH_PREFIX, OIDC_MOUNT_PATH } from "./provider.js";
import { setRequestContext } from "./request-context.js";

/**
 * oidc-provider's pages (logout, errors) get the security headers of every page, with a CSP of
 * their own: their one style sheet by hash, and `script-src 'self'` so that oidc-provider can add
 * the hash of its self-submitting form (it does so to a script-src it finds). No `form-action`:
 * a browser would apply it to the redirect back to the app after "Sign out".
 */
function providerHeaders(https: boolean): Record<string, string> {
  return {
    ...securityHeaders(https),
    "content-security-policy": `${PAGE_CONTENT_SECURITY_POLICY}; script-src 'self'`,
  };
}

function portalContext(app: FastifyInstance, deps: AppDeps, cookieHeader: string | undefined) {
  const name = sessionCookieName(deps.config.publicUrl);
  const token = cookieHeader ? app.parseCookie(cookieHeader)[name] : undefined;
  const clearPortalCookie = app.serializeCookie(name, "", {
    httpOnly: true,
    sameSite: "lax",
    secure: deps.config.publicUrl.protocol === "https:",
    path: "/",
    expires: new Date(0),
  });
  return { token: token || undefined, clearPortalCookie };
}

/** Hands `/oidc/*` (but the interaction step) to oidc-provider. Register before anything else. */
export function mountIdentityProvider(app: FastifyInstance, deps: AppDeps): void {
  const handle = deps.identityProvider.provider.callback();
  const publicUrl = deps.config.publicUrl;
  const headers = providerHeaders(publicUrl.protocol === "https:");
  app.addHook("onRequest", (request, reply, done) => {
    const path = request.url.split("?")[0] ?? "";
    if (
      (path !== OIDC_MOUNT_PATH && !path.startsWith(`${OIDC_MOUNT_PATH}/`)) ||
      path.startsWith(INTERACTION_PATH_PREFIX)
    ) {
      done();
      return;
    }
    reply.hijack();
    const req = request.raw as typeof request.raw & { originalUrl?: string };
    const portal = portalContext(app, deps, req.headers.cookie);
    setRequestContext(req, {
      portalToken: portal.token,
      ip: request.ip ?? null,
      userAgent: req.headers["user-agent"] ?? null,
      clearPortalCookie: portal.clearPortalCookie,
    });
    req.originalUrl = request.url;
    req.url = request.url.slice(OIDC_MOUNT_PATH.length) || "/";
    req.headers["x-forwarded-proto"] = publicUrl.protocol.slice(0, -1);
    req.headers["x-forwarded-host"] = publicUrl.host;
    req.headers["x-forwarded-for"] = request.ip;
    for (const [name, value] of Object.entries(headers)) reply.raw.setHeader(name, value);
    handle(req, reply.raw);
    done();
  });
}

/**
 * `GET /oidc/interaction/{uid}`: the sign-in step (interaction.ts). GET only: Fastify would
 * otherwise answer HEAD through the same handler, and a HEAD (a link checker, a prefetch) would
 * finish the sign-in and write its audit row without a browser ever following it.
 */
export function identityProviderRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { uid: string } }>(
      `${INTERACTION_PATH_PREFIX}:uid`,
      { schema: { hide: true }, exposeHeadRoute: false },
      async (request, reply) => {
        reply.header("Cache-Control", "no-store");
        const portal = portalContext(app, deps, request.headers.cookie);
        const step = await continueInteraction(deps, deps.identityProvider.provider, request.raw, reply.raw, {
          uid: request.params.uid,
          portalToken: portal.token,
          ip: request.ip ?? null,
        });
        if (step.kind === "redirect") return reply.redirect(step.location, 303);
        return reply
          .status(400)
          .header("Content-Security-Policy", PAGE_CONTENT_SECURITY_POLICY)
          .type("text/html; charset=utf-8")
          .send(errorPage());
      },
    );
  };
}
