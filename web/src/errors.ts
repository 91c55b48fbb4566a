import { ApiError, type Account } from "./api";
import { isSlug } from "./paths";
import { NOT_CONFIRMED, wasCancelled } from "./sudo/sudo";

function describeWait(seconds: number | null): string {
  if (seconds === null || seconds <= 0) return "Please wait a little while";
  if (seconds < 90) return `Please wait ${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `Please wait about ${minutes} minutes`;
}

/**
 * Plain words for the outcomes any request can have (throttling, load shedding, network, 5xx).
 * Pages handle their own specific codes first and fall back to this.
 */
export function describeError(error: unknown): string {
  if (wasCancelled(error)) return NOT_CONFIRMED;
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  switch (error.code) {
    case "too_many_attempts":
      // A locked sign-in (not just slowed down): the server's words say how to get back in.
      if (error.details.locked === true) return error.message;
      return `Too many attempts. ${describeWait(error.retryAfterSeconds)} before trying again.`;
    case "overloaded":
      return "Staffgate is busy right now. Please try again in a moment.";
    case "csrf_rejected":
      return "This request was blocked for your protection. Reload the page and try again.";
    default:
      return error.message;
  }
}

/**
 * The business an unusable link belongs to, from its 410's `details.account`: the server names it
 * only for a link it issued, so "Send me a new link" needs no business address. Null otherwise.
 */
export function linkBusiness(error: unknown): Account | null {
  if (!(error instanceof ApiError)) return null;
  const account = error.details.account;
  if (typeof account !== "object" || account === null) return null;
  const { slug, name } = account as Record<string, unknown>;
  return typeof slug === "string" && isSlug(slug) && typeof name === "string" ? { slug, name } : null;
}
