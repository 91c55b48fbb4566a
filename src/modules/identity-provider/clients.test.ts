import { describe, expect, it } from "vitest";
import { clientSecretMatches, hashClientSecret, redirectUriProblem } from "./clients.js";

describe("app registration rules", () => {
  it("accepts https addresses, and http on this machine only for an app in development", () => {
    for (const ok of ["https://portal.example/callback", "https://portal.example:8443/cb?x=1"]) {
      expect(redirectUriProblem(ok), ok).toBeUndefined();
      expect(redirectUriProblem(ok, { development: true }), ok).toBeUndefined();
    }
    for (const loopback of ["http://localhost:5173/cb", "http://127.0.0.1:9/cb", "http://[::1]:8080/cb"]) {
      expect(redirectUriProblem(loopback), loopback).toMatch(/only for an app in development: --development/);
      expect(redirectUriProblem(loopback, { development: false }), loopback).toMatch(/must use https/);
      expect(redirectUriProblem(loopback, { development: true }), loopback).toBeUndefined();
    }
    expect(redirectUriProblem("http://portal.example/cb", { development: true })).toMatch(/must use https/);
    expect(redirectUriProblem("http://portal.example/cb")).toMatch(/must use https/);
    expect(redirectUriProblem("http://localhost.evil.example/cb")).toMatch(/must use https/);
    expect(redirectUriProblem("javascript:alert(1)")).toMatch(/must use https/);
    expect(redirectUriProblem("ftp://portal.example/cb")).toMatch(/must use https/);
    expect(redirectUriProblem("portal.example/cb")).toMatch(/absolute URL/);
    expect(redirectUriProblem("https://portal.example/cb#frag")).toMatch(/fragment/);
    expect(redirectUriProblem("https://portal.example/cb#")).toMatch(/fragment/);
    expect(redirectUriProblem("https://user:pass@portal.example/cb")).toMatch(/user name or password/);
  });

  it("compares secrets by their SHA-256 only, and never takes the stored hash for the secret", () => {
    const stored = hashClientSecret("s3cret-value");
    expect(stored).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(clientSecretMatches(stored, "s3cret-value")).toBe(true);
    expect(clientSecretMatches(stored, "s3cret-valuE")).toBe(false);
    expect(clientSecretMatches(stored, stored)).toBe(false);
    expect(clientSecretMatches(undefined, "s3cret-value")).toBe(false);
    expect(clientSecretMatches(stored, undefined)).toBe(false);
    expect(clientSecretMatches("plain-secret", "plain-secret")).toBe(false);
  });
});
