/**
 * The headers of a "yes" from forward auth. Proxies copy them to the protected app, which trusts
 * them because the proxy removes any the client sent itself (docs/forward-auth.md).
 *
 * Usernames may hold any letter (`josé`, `анна`), but a header value is bytes that proxies pass
 * on as Latin-1 at best, so the username is percent-encoded UTF-8 (RFC 3986): ASCII usernames
 * read as they are, others decode with `decodeURIComponent`.
 */
import type { ForwardAuthIdentity } from "./verify-session.js";

export const FORWARD_AUTH_HEADERS = {
  account: "X-Staffgate-Account",
  staffId: "X-Staffgate-Staff-Id",
  username: "X-Staffgate-Username",
  permissions: "X-Staffgate-Permissions",
} as const;

export function forwardAuthHeaders(identity: ForwardAuthIdentity): Record<string, string> {
  return {
    [FORWARD_AUTH_HEADERS.account]: identity.accountSlug,
    [FORWARD_AUTH_HEADERS.staffId]: encodeURIComponent(identity.staffId),
    [FORWARD_AUTH_HEADERS.username]: encodeURIComponent(identity.username),
    [FORWARD_AUTH_HEADERS.permissions]: identity.permissions.join(","),
  };
}
