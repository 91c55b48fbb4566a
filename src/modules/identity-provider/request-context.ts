/**
 * What the HTTP layer learned about a request before handing it to oidc-provider: the portal
 * session cookie (the provider's session is only good while the portal session behind it is),
 * the client's address as the app's proxy settings see it, and how to clear the portal cookie.
 * Kept beside the raw request, which oidc-provider's Koa context carries as `ctx.req`.
 */
import type { IncomingMessage } from "node:http";

export interface ProviderRequestContext {
  /** The portal session token from the cookie, if any. */
  readonly portalToken: string | undefined;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** A Set-Cookie header value that clears the portal session cookie. */
  readonly clearPortalCookie: string;
}

const contexts = new WeakMap<IncomingMessage, ProviderRequestContext>();

export function setRequestContext(req: IncomingMessage, context: ProviderRequestContext): void {
  contexts.set(req, context);
}

export function requestContextOf(req: IncomingMessage): ProviderRequestContext | undefined {
  return contexts.get(req);
}
