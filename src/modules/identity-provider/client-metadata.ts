/**
 * An app's registration as oidc-provider reads it (OpenID Connect Dynamic Client Registration
 * metadata names), from `oidc_clients`. Read on every use, so a deleted app stops working at
 * once on every node. A confidential app's `client_secret` is the stored SHA-256: oidc-provider
 * compares secrets through `compareClientSecret` (provider.ts), and with HS* turned off never
 * uses it as a key.
 */
import type { AdapterPayload } from "oidc-provider";
import type { Executor } from "../../db/database.js";
import { toClientView } from "./clients.js";
import { findClient } from "./oidc-clients.repository.js";

export async function clientMetadata(db: Executor, clientId: string): Promise<AdapterPayload | undefined> {
  const row = await findClient(db, clientId);
  if (!row) return undefined;
  const client = toClientView(row);
  return {
    client_id: client.clientId,
    client_name: client.name,
    application_type: "web",
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    // Every ID token says when the person signed in (apps enforcing their own max age need it).
    require_auth_time: true,
    ...(client.public
      ? { token_endpoint_auth_method: "none" }
      : { token_endpoint_auth_method: "client_secret_basic", client_secret: row.secret_hash }),
    ...(client.backchannelLogoutUri
      ? {
          backchannel_logout_uri: client.backchannelLogoutUri,
          // ID tokens then carry `sid`, which logout tokens name when one session is known.
          backchannel_logout_session_required: true,
        }
      : {}),
  };
}
