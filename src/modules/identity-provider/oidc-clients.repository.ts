/** Queries of the registered apps (`oidc_clients`): the vendor's, not any one business's. */
import type { Selectable } from "kysely";
import type { Executor } from "../../db/database.js";
import type { OidcClientsTable } from "./identity-provider.table.js";

export type OidcClientRow = Selectable<OidcClientsTable>;

export async function insertClient(db: Executor, row: OidcClientsTable): Promise<void> {
  await db.insertInto("oidc_clients").values(row).execute();
}

export async function findClient(db: Executor, clientId: string): Promise<OidcClientRow | undefined> {
  return db.selectFrom("oidc_clients").selectAll().where("id", "=", clientId).executeTakeFirst();
}

export async function listClients(db: Executor): Promise<OidcClientRow[]> {
  return db.selectFrom("oidc_clients").selectAll().orderBy("created_at").orderBy("id").execute();
}

export async function deleteClient(db: Executor, clientId: string): Promise<boolean> {
  const result = await db.deleteFrom("oidc_clients").where("id", "=", clientId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The apps among `clientIds` that want to hear of sign-outs (Back-Channel Logout). */
export async function findBackchannelClients(
  db: Executor,
  clientIds: readonly string[],
): Promise<Array<{ id: string; backchannel_logout_uri: string }>> {
  if (clientIds.length === 0) return [];
  const rows = await db
    .selectFrom("oidc_clients")
    .select(["id", "backchannel_logout_uri"])
    .where("id", "in", clientIds)
    .where("backchannel_logout_uri", "is not", null)
    .orderBy("id")
    .execute();
  return rows.flatMap((row) =>
    row.backchannel_logout_uri ? [{ id: row.id, backchannel_logout_uri: row.backchannel_logout_uri }] : [],
  );
}
