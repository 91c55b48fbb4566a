/**
 * Sign-out everywhere: when a person's portal sessions end — they sign out, change or reset their
 * password, are made inactive or lose a permission — the identity provider forgets them too, in
 * the same transaction: their provider sessions, grants, codes, access and refresh tokens go,
 * and every app they had signed in to that listens for it is queued a Back-Channel Logout.
 *
 * The sessions module runs this through the hook the composition root registers
 * (`onSignOut`), so that sessions, low in the module order, needn't know the provider.
 */
import type { Executor } from "../../db/database.js";
import type { EnqueueDeps } from "../messaging/index.js";
import { openPayload } from "./adapter.js";
import { queueLogoutNotice } from "./backchannel-logout.js";
import { findBackchannelClients } from "./oidc-clients.repository.js";
import { deleteModelsOfStaff, findSessionsAndGrantsOfStaff } from "./oidc-models.repository.js";

export async function signOutOfApps(
  tx: Executor,
  deps: EnqueueDeps,
  person: { readonly accountId: string; readonly staffId: string },
): Promise<void> {
  const rows = await findSessionsAndGrantsOfStaff(tx, person.staffId);
  if (rows.length === 0) return;
  const clientIds = new Set<string>();
  const sidsByClient = new Map<string, Set<string>>();
  for (const row of rows) {
    if (row.kind === "Grant" && row.client_id) clientIds.add(row.client_id);
    if (row.kind !== "Session") continue;
    const payload = openPayload(deps.secretBox, row.kind, row.id_hash, row.payload);
    const authorizations = (payload?.["authorizations"] ?? {}) as Record<string, { sid?: unknown }>;
    for (const [clientId, authorization] of Object.entries(authorizations)) {
      clientIds.add(clientId);
      if (typeof authorization.sid !== "string") continue;
      const sids = sidsByClient.get(clientId) ?? new Set<string>();
      sids.add(authorization.sid);
      sidsByClient.set(clientId, sids);
    }
  }
  await deleteModelsOfStaff(tx, person.staffId);
  for (const client of await findBackchannelClients(tx, [...clientIds])) {
    // One token per session the app knows (`sid`, as in its ID tokens): usually one. An app
    // with a grant but no live session left gets `sub` alone, which per the spec means every
    // session of that person at the app.
    const sids = [...(sidsByClient.get(client.id) ?? [])];
    for (const sid of sids.length > 0 ? sids : [undefined]) {
      await queueLogoutNotice(tx, deps, {
        accountId: person.accountId,
        uri: client.backchannel_logout_uri,
        clientId: client.id,
        sub: person.staffId,
        ...(sid ? { sid } : {}),
      });
    }
  }
}
