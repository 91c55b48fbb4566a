import type { Executor } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";
import type { AccountContext } from "./credentials.deps.js";

/**
 * The business behind a sign-in URL's slug, or `not_found`. Only the columns a credential needs:
 * the accounts module sits above this one (its account creation sets the owner's password).
 */
export async function getAccountContextBySlug(db: Executor, slug: string): Promise<Required<AccountContext>> {
  const account = await db
    .selectFrom("accounts")
    .select(["id", "slug", "name", "password_min_length", "require_two_factor"])
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (!account) throw new DomainError("not_found", "There is no business at this address.");
  return account;
}
