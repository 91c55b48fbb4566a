// Calls the HTTP API outside the browser, as a browser of the server's origin would: to check
// what a page's action did (can Sam sign in with the new password?) without clicking through it.
import type { RunningServer } from "./browser.js";

export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** A client with its own cookie jar (the session cookie, once it signs in). */
export function apiClient(server: RunningServer, slug: string) {
  let cookie = "";
  return async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const response = await fetch(`${server.url}/api/accounts/${slug}${path}`, {
      method,
      headers: {
        Origin: server.url,
        ...(cookie ? { Cookie: cookie } : {}),
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookies = response.headers.getSetCookie();
    if (setCookies.length > 0) cookie = setCookies.map((c) => c.split(";")[0]).join("; ");
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
}

/**
 * Makes every portal session's last sign-in or re-authentication `minutes` old, so that the next
 * sensitive change asks "Confirm it's you" (sudo mode lasts 10 minutes).
 */
export async function ageSessions(server: RunningServer, minutes: number): Promise<void> {
  const { db, clock } = server.runtime.deps;
  await db
    .updateTable("sessions")
    .set({ authenticated_at: clock.now() - minutes * 60 * 1000 })
    .execute();
}
