/**
 * The example app (examples/office-portal) against the real identity provider, on each database:
 * an app of one business lets in only that business's people, whatever `account_hint` the
 * browser ends up sending (the hint is only a hint; the ID token's `account` decides).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOfficePortal, type RunningOfficePortal } from "../../examples/office-portal/server.js";
import { SAMPLE_ACCOUNT } from "../support/http.js";
import { dialects } from "../support/dialects.js";
import { freePort } from "../support/process.js";
import { Browser, addPerson, registerApp, seedBusiness, startOidcServer, type OidcServer } from "./support.js";

const PASSWORD = "kettle-orchard-77";
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;

describe.each(dialects)("the example app's business check on %s", (dialect) => {
  let server: OidcServer;
  let app: RunningOfficePortal;

  beforeAll(async () => {
    server = await startOidcServer(dialect);
    const { account } = await seedBusiness(server);
    await addPerson(server, account.id, { username: "sam", password: PASSWORD });
    // The second business: its owner has Admin Access there, and must get none at Acme Swim's app.
    await seedBusiness(server, { slug: "beta-gym", name: "Beta Gym", ownerEmail: "owner@beta.example" });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const registered = await registerApp(server, { name: "Acme's office app", redirectUris: [`${url}/callback`] });
    app = await startOfficePortal({
      issuer: server.issuer,
      clientId: registered.clientId,
      ...(registered.clientSecret ? { clientSecret: registered.clientSecret } : {}),
      port,
      accountHint: "acme-swim",
    });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  /**
   * The app's /login, with the authorization request changed by `tamper` on its way through the
   * browser, a sign-in at `slug`, and the app's callback: its answer, and the app's session cookie.
   */
  async function signInThroughTheApp(
    slug: string,
    login: string,
    password: string,
    tamper: (authorization: URL) => void = () => undefined,
  ) {
    const started = await fetch(`${app.url}/login?returnTo=/admin`, { redirect: "manual" });
    const pending = (started.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
    const authorization = new URL(started.headers.get("location") ?? "");
    expect(authorization.searchParams.get("account_hint")).toBe("acme-swim");
    tamper(authorization);
    const browser = new Browser(server.url);
    await browser.signIn(slug, login, password);
    const callback = (await browser.follow(authorization.href)).url;
    expect(callback.startsWith(`${app.url}/callback?`)).toBe(true);
    const reply = await fetch(callback, { redirect: "manual", headers: { cookie: pending } });
    const session = reply.headers
      .getSetCookie()
      .map((cookie) => cookie.split(";")[0] ?? "")
      .find((cookie) => cookie.startsWith("office_portal_session=") && cookie !== "office_portal_session=");
    return { reply, session };
  }

  it("lets in a person of its business, and keeps their business in the session", async () => {
    const { reply, session } = await signInThroughTheApp("acme-swim", "sam", PASSWORD);
    expect(reply.status).toBe(302);
    expect(session).toBeTruthy();
    const id = (session as string).slice("office_portal_session=".length);
    expect(app.sessions.get(id)).toMatchObject({ account: "acme-swim", accountName: "Acme Swim" });
  });

  it("refuses another business's owner who took the hint out, or changed it", async () => {
    const tampers: Array<(authorization: URL) => void> = [
      (authorization) => authorization.searchParams.delete("account_hint"),
      (authorization) => authorization.searchParams.set("account_hint", "beta-gym"),
    ];
    for (const tamper of tampers) {
      const { reply, session } = await signInThroughTheApp("beta-gym", "admin", OWNER_PASSWORD, tamper);
      expect(reply.status).toBe(403);
      expect(await reply.text()).toContain("This app is for another business");
      expect(session).toBeUndefined();
    }
  });
});
