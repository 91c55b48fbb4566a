/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import type { Kysely } from "kysely";

/**
 * Issue 15: Staffgate as an OpenID Provider (modules/identity-provider).
 *
 * - `oidc_models`: what oidc-provider stores (sessions, interactions, grants, authorization
 *   codes, access and refresh tokens, replay records), one row per model instance. A row is found
 *   by the SHA-256 of its id (the ids of codes and tokens are the bearer values themselves), its
 *   payload is sealed at rest, and `grant_id`, `uid`, `staff_id` and `client_id` are lifted out
 *   of it so that a grant's codes and tokens, a session by uid, everything of one person or of one app can
 *   be found or deleted in one statement.
 * - `oidc_clients`: the apps registered with `oidc-client:create`; a confidential client's
 *   secret is kept as its SHA-256 only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("oidc_models")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("id_hash", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("grant_id", "text")
    .addColumn("uid", "text")
    .addColumn("user_code_hash", "text")
    .addColumn("staff_id", "text")
    .addColumn("client_id", "text")
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("consumed_at", "bigint")
    .addPrimaryKeyConstraint("oidc_models_pk", ["kind", "id_hash"])
    .execute();
  await db.schema.createIndex("oidc_models_grant").on("oidc_models").column("grant_id").execute();
  await db.schema.createIndex("oidc_models_uid").on("oidc_models").columns(["kind", "uid"]).execute();
  await db.schema.createIndex("oidc_models_staff").on("oidc_models").column("staff_id").execute();
  await db.schema.createIndex("oidc_models_client").on("oidc_models").column("client_id").execute();
  await db.schema.createIndex("oidc_models_expiry").on("oidc_models").column("expires_at").execute();

  await db.schema
    .createTable("oidc_clients")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    /** `sha256:<hex>` of the secret; null for a public client (PKCE, no secret). */
    .addColumn("secret_hash", "text")
    /** JSON arrays of absolute URLs. */
    .addColumn("redirect_uris", "text", (c) => c.notNull())
    .addColumn("post_logout_redirect_uris", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("backchannel_logout_uri", "text")
    .addColumn("is_public", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("oidc_clients").execute();
  await db.schema.dropTable("oidc_models").execute();
}
