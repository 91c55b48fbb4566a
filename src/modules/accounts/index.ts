export { isValidSlug, smsAllowedCountries } from "./account.js";
export {
  countAccounts,
  findAccountById,
  findAccountBySlug,
  getAccountBySlug,
  lockAccountById,
} from "./accounts.repository.js";
export type { AccountRow } from "./accounts.table.js";
export { createAccount, type CreateAccountInput, type CreateAccountResult } from "./create-account.js";
