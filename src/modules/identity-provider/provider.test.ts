import type Provider from "oidc-provider";
import type { KoaContext } from "oidc-provider";
import { describe, expect, it } from "vitest";
import { grantForRequest } from "./provider.js";

/** A stand-in for oidc-provider's Grant model: records what was saved and destroyed. */
function fakeProvider() {
  const events: string[] = [];
  class Grant {
    readonly jti = "grant-1";
    constructor(readonly properties: { accountId: string; clientId: string }) {}
    addOIDCScope(scope: string) {
      events.push(`scope ${scope}`);
    }
    async save() {
      events.push("save");
      return this.jti;
    }
    async destroy() {
      events.push("destroy");
    }
    static async find() {
      return undefined;
    }
  }
  return { provider: { Grant } as unknown as Provider, events };
}

const ctx = {
  oidc: {
    session: { accountId: "stf_sam", grantIdFor: () => undefined },
    client: { clientId: "app_portal" },
    requestParamOIDCScopes: new Set(["openid", "profile"]),
  },
} as unknown as KoaContext;

/** Answers in turn: the portal session's state before the save, then after it. */
const portalSession =
  (...answers: boolean[]) =>
  async () =>
    answers.shift() ?? false;

describe("the grant of an authorization racing a sign-out", () => {
  it("is removed again when the portal session ended while it was being saved", async () => {
    const { provider, events } = fakeProvider();
    expect(await grantForRequest(provider, ctx, portalSession(true, false))).toBeUndefined();
    expect(events).toEqual(["scope openid profile", "save", "destroy"]);
  });

  it("stays when the portal session holds throughout", async () => {
    const { provider, events } = fakeProvider();
    expect(await grantForRequest(provider, ctx, portalSession(true, true))).toBeDefined();
    expect(events).toEqual(["scope openid profile", "save"]);
  });

  it("stays when the portal session didn't hold to begin with: the sign-in check handles that", async () => {
    const { provider, events } = fakeProvider();
    expect(await grantForRequest(provider, ctx, portalSession(false, false))).toBeDefined();
    expect(events).toEqual(["scope openid profile", "save"]);
  });
});
