// Every in-app URL is built here, so pages never concatenate paths themselves.

/** Account slugs: lowercase letters, digits and hyphens (shared/API.md). */
export const SLUG_PATTERN = /^[a-z0-9-]+$/;

export function isSlug(value: string): boolean {
  return SLUG_PATTERN.test(value);
}

/** Accepts "sunny-swim", " Sunny-Swim " or a pasted address such as ".../a/sunny-swim/login". */
export function slugFromInput(input: string): string {
  const value = input.trim().toLowerCase();
  const fromAddress = /\/a\/([^/?#]+)/.exec(value);
  return fromAddress?.[1] ?? value;
}

const account = (slug: string) => `/a/${encodeURIComponent(slug)}`;

export const paths = {
  landing: "/",
  home: account,
  login: (slug: string) => `${account(slug)}/login`,
  forgotPassword: (slug: string) => `${account(slug)}/forgot-password`,
  changePassword: (slug: string) => `${account(slug)}/change-password`,
  settings: (slug: string) => `${account(slug)}/settings`,
  staff: (slug: string) => `${account(slug)}/staff`,
  audit: (slug: string) => `${account(slug)}/audit`,
  security: (slug: string) => `${account(slug)}/security`,
  /** Where reset links land; the token travels in the fragment (`#token=…`), never to the server. */
  resetPassword: "/reset-password",
  /** Where email verification links land (`#token=…`); opening it changes nothing. */
  verifyEmail: "/verify-email",
  /** Where unlock links land (`#token=…`) after a sign-in was locked; opening it changes nothing. */
  unlock: "/unlock",
};

const supportAccount = (slug: string) => `/support/accounts/${encodeURIComponent(slug)}`;

/** The vendor support console: a realm of its own, apart from every business's Office Portal. */
export const supportPaths = {
  home: "/support",
  /** The search page with a search term (kept in the address so Back returns to the results). */
  search: (term: string) => (term.trim() === "" ? "/support" : `/support?q=${encodeURIComponent(term.trim())}`),
  login: "/support/login",
  account: supportAccount,
  startRecovery: (slug: string) => `${supportAccount(slug)}/recovery`,
  recoveryCase: (caseId: string) => `/support/cases/${encodeURIComponent(caseId)}`,
};
