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
  /** Where reset links land; the token travels in the fragment (`#token=…`), never to the server. */
  resetPassword: "/reset-password",
};
