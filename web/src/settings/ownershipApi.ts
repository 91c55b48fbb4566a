// The ownership details endpoints (shared/API.md v2, "ownership details"): the Business Owner's
// own record of the facts vendor support checks before it recovers the owner's sign-in.
import { accountPath, request } from "../api";

/** As the server sends them: masked (all but the last characters), or null when not on file. */
export interface OwnershipDetails {
  billingPostalCode: string | null;
  cardLast4: string | null;
  businessPhone: string | null;
  ownerFullName: string | null;
}

/** The facts the owner types; the owner's full name comes from the owner's own staff record. */
export const OWNERSHIP_FIELDS = ["billingPostalCode", "cardLast4", "businessPhone"] as const;
export type OwnershipField = (typeof OWNERSHIP_FIELDS)[number];
export type OwnershipChanges = Partial<Record<OwnershipField, string>>;

export const ownershipApi = {
  get(slug: string, signal?: AbortSignal): Promise<OwnershipDetails> {
    return request("GET", accountPath(slug, "/ownership-details"), { signal });
  },

  /** Needs sudo mode: send it through `useSudo()`. */
  update(slug: string, changes: OwnershipChanges): Promise<OwnershipDetails> {
    return request("PUT", accountPath(slug, "/ownership-details"), { body: changes });
  },
};
