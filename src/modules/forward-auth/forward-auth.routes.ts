import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { AppDeps } from "../../app-deps.js";
import { ErrorResponse } from "../../http/schemas.js";
import { sessionCookieName } from "../../http/session-auth.js";
import { DomainError } from "../../shared/errors.js";
import { FORWARD_AUTH_HEADERS, forwardAuthHeaders } from "./forward-auth-headers.js";
import { ADMIN_PERMISSION, verifyPortalSession } from "./verify-session.js";

// Not strict: some proxies (Caddy's forward_auth) keep the client's own query string on the
// request they send here, and an app's `?page=2` must not turn into a 400 for every visitor.
// A client can only make the answer stricter with these (another business, a redirect).
const VerifyQuery = Type.Object({
  account: Type.Optional(
    Type.String({
      pattern: "^[a-z0-9-]{1,63}$",
      description: "Require a session of this business (its slug); a session of another business is 401",
    }),
  ),
  redirect: Type.Optional(
    Type.Literal("true", {
      description:
        "With `account`: answer 302 to that business's sign-in page instead of 401, for proxies that hand the answer to the browser (Traefik, Caddy)",
    }),
  ),
});

const identityHeaders = {
  [FORWARD_AUTH_HEADERS.account]: { type: "string", description: "The business's slug" },
  [FORWARD_AUTH_HEADERS.staffId]: { type: "string", description: "The staff member's id" },
  [FORWARD_AUTH_HEADERS.username]: {
    type: "string",
    description: "The username, percent-encoded UTF-8 (ASCII usernames read as they are)",
  },
  [FORWARD_AUTH_HEADERS.permissions]: {
    type: "string",
    description: `Comma-separated permission keys; \`${ADMIN_PERMISSION}\` first for Admin Access, with every permission it implies`,
  },
};

export function forwardAuthRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const cookieName = sessionCookieName(deps.config.publicUrl);
  return async (app) => {
    app.get(
      "/api/auth/verify",
      {
        schema: {
          summary: "Forward auth for reverse proxies: who the portal session cookie signs in (also HEAD)",
          description:
            "200 with the X-Staffgate-* headers for an active session of an active person who owes no password change; otherwise 401. Never cached, never sets a cookie. See docs/forward-auth.md.",
          tags: ["forward-auth"],
          querystring: VerifyQuery,
          response: {
            // No body: proxies read the status and the headers only.
            200: Type.Unsafe<undefined>({ description: "Signed in (no body)", headers: identityHeaders }),
            302: Type.Unsafe<undefined>({
              description: "Not signed in, with `redirect=true`: to the business's sign-in page",
            }),
            401: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const { account, redirect } = request.query;
        if (redirect && !account) {
          throw new DomainError("validation_failed", "`redirect` needs `account`: whose sign-in page?", {
            fields: { redirect: "needs account" },
          });
        }
        const identity = await verifyPortalSession(deps, request.cookies[cookieName], account);
        if (identity) return reply.headers(forwardAuthHeaders(identity)).code(200).send(undefined);
        if (redirect && account) {
          // Built from PUBLIC_URL and a slug the schema checked: never an address a client chose.
          return reply.redirect(new URL(`/a/${account}/login`, deps.config.publicUrl).href, 302);
        }
        throw new DomainError("unauthenticated");
      },
    );
  };
}
