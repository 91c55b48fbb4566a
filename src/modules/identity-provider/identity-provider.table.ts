/**
 * What oidc-provider stores, one row per model instance (Session, Interaction, Grant,
 * AuthorizationCode, AccessToken, RefreshToken, ReplayDetection). Found by the SHA-256 of the
 * model's id, because the ids of codes and tokens are the bearer values themselves; the payload
 * is sealed (shared/secret-box.ts) and bound to its row.
 */
export interface OidcModelsTable {
  kind: string;
  id_hash: string;
  payload: string;
  grant_id: string | null;
  /** A session's uid (tokens refer to their session by it). */
  uid: string | null;
  user_code_hash: string | null;
  /** The person (oidc-provider's `accountId`): everything of theirs goes in one statement. */
  staff_id: string | null;
  /** The app the grant, code or token is for: deleting the app deletes them. */
  client_id: string | null;
  expires_at: number;
  consumed_at: number | null;
}

/** An app registered with `oidc-client:create`. */
export interface OidcClientsTable {
  id: string;
  name: string;
  /** `sha256:<hex>` of a confidential client's secret; null for a public client. */
  secret_hash: string | null;
  /** JSON array of absolute URLs. */
  redirect_uris: string;
  /** JSON array of absolute URLs. */
  post_logout_redirect_uris: string;
  backchannel_logout_uri: string | null;
  is_public: number;
  created_at: number;
}
