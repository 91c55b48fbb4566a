export {
  SLUG_PATTERN,
  countryProblem,
  isValidSlug,
  smsAllowedCountries,
  toAccountSettings,
  toPublicAccount,
  type AccountSettings,
  type PublicAccount,
} from "./account.js";
export {
  countAccounts,
  findAccountById,
  findAccountBySlug,
  getAccountBySlug,
  lockAccountById,
} from "./accounts.repository.js";
export type { AccountRow } from "./accounts.table.js";
export {
  createAccount,
  type CreateAccountDeps,
  type CreateAccountInput,
  type CreateAccountResult,
} from "./create-account.js";
export { updateSettings, type SettingsChanges } from "./update-settings.js";
