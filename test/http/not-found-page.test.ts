// An unknown page asked for by a browser gets a small HTML page with a title and a language (a
// screen reader announces both); API clients keep the JSON error.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dialects } from "../support/dialects.js";
import { createTestApp, type TestApp } from "../support/http.js";

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

describe.each(dialects)("the 404 page on %s", (dialect) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(async () => t.close());

  it("is a titled English HTML page for a browser, with nothing of the request in it", async () => {
    const response = await t.request({
      method: "GET",
      url: "/no-such-page/%3Cscript%3Ealert(1)%3C%2Fscript%3E?q=<b>",
      headers: { accept: BROWSER_ACCEPT },
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(response.body).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(response.body).toContain("<title>Page not found · Staffgate</title>");
    expect(response.body).toContain("<h1>Page not found</h1>");
    expect(response.body).not.toContain("script");
    expect(response.body).not.toContain("<b>");
  });

  it("stays JSON for API paths and for clients that don't ask for HTML", async () => {
    const api = await t.request({ method: "GET", url: "/api/nothing-here", headers: { accept: BROWSER_ACCEPT } });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe("not_found");
    const script = await t.request({ method: "GET", url: "/no-such-page", headers: { accept: "application/json" } });
    expect(script.statusCode).toBe(404);
    expect(script.json().error.code).toBe("not_found");
    const post = await t.request({ method: "POST", url: "/no-such-page", headers: { accept: BROWSER_ACCEPT } });
    expect(post.statusCode).toBe(404);
    expect(post.json().error.code).toBe("not_found");
  });
});
