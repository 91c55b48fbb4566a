/**
 * Queries of oidc-provider's stored models (identity-provider.table.ts). The rows are not a
 * business's own: they belong to a person (`staff_id`, which names their business through the
 * staff row) or to no one yet (an interaction before sign-in), so they are looked up by their
 * hashed id, and deleted by grant, person or app.
 */
import type { Executor } from "../../db/database.js";
import type { OidcModelsTable } from "./identity-provider.table.js";

export type StoredModel = Pick<OidcModelsTable, "payload" | "consumed_at">;

export async function upsertModel(db: Executor, row: OidcModelsTable): Promise<void> {
  const { kind: _kind, id_hash: _idHash, ...changes } = row;
  await db
    .insertInto("oidc_models")
    .values(row)
    .onConflict((oc) => oc.columns(["kind", "id_hash"]).doUpdateSet(changes))
    .execute();
}

export async function findModel(
  db: Executor,
  kind: string,
  idHash: string,
  now: number,
): Promise<StoredModel | undefined> {
  return db
    .selectFrom("oidc_models")
    .select(["payload", "consumed_at"])
    .where("kind", "=", kind)
    .where("id_hash", "=", idHash)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/** A model by another of its fields (a session by uid); `id_hash` is needed to open it. */
export async function findModelBy(
  db: Executor,
  kind: string,
  column: "uid" | "user_code_hash",
  value: string,
  now: number,
): Promise<(StoredModel & { id_hash: string }) | undefined> {
  return db
    .selectFrom("oidc_models")
    .select(["id_hash", "payload", "consumed_at"])
    .where("kind", "=", kind)
    .where(column, "=", value)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/** Marks a code or token used; a second use finds it consumed (and oidc-provider revokes its grant). */
export async function consumeModel(db: Executor, kind: string, idHash: string, now: number): Promise<void> {
  await db
    .updateTable("oidc_models")
    .set({ consumed_at: now })
    .where("kind", "=", kind)
    .where("id_hash", "=", idHash)
    .where("consumed_at", "is", null)
    .execute();
}

export async function destroyModel(db: Executor, kind: string, idHash: string): Promise<void> {
  await db.deleteFrom("oidc_models").where("kind", "=", kind).where("id_hash", "=", idHash).execute();
}

/** The codes or tokens of one kind issued under a grant. */
export async function deleteModelsOfGrant(db: Executor, kind: string, grantId: string): Promise<void> {
  await db.deleteFrom("oidc_models").where("kind", "=", kind).where("grant_id", "=", grantId).execute();
}

/** The person's provider sessions and grants (to learn whom to tell before they go). */
export async function findSessionsAndGrantsOfStaff(
  db: Executor,
  staffId: string,
): Promise<Array<Pick<OidcModelsTable, "kind" | "id_hash" | "payload" | "client_id">>> {
  return db
    .selectFrom("oidc_models")
    .select(["kind", "id_hash", "payload", "client_id"])
    .where("staff_id", "=", staffId)
    .where("kind", "in", ["Session", "Grant"])
    .execute();
}

/** Everything of one person: sessions, grants, codes, access and refresh tokens. */
export async function deleteModelsOfStaff(db: Executor, staffId: string): Promise<number> {
  const result = await db.deleteFrom("oidc_models").where("staff_id", "=", staffId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Everything issued to one app (when it is deleted). */
export async function deleteModelsOfClient(db: Executor, clientId: string): Promise<void> {
  await db.deleteFrom("oidc_models").where("client_id", "=", clientId).execute();
}
