/**
 * The few pages the identity provider shows itself: "Sign out?", "You're signed out" and its
 * errors. Plain, accessible HTML with no script; the one inline style sheet is allowed by its
 * hash in the page's Content-Security-Policy, so the policy stays strict.
 */
import { createHash } from "node:crypto";
import { escapeHtml } from "../messaging/index.js";

const STYLE = [
  "body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b2733}",
  "main{max-width:28rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px #0003}",
  "h1{font-size:1.5rem;margin-top:0}p{line-height:1.5}",
  ".actions{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1.5rem}",
  "button{font:inherit;padding:.6rem 1.1rem;border-radius:.375rem;border:1px solid #1d4ed8;cursor:pointer}",
  ".primary{background:#1d4ed8;color:#fff}.secondary{background:#fff;color:#1d4ed8}",
  "button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}",
].join("");

const STYLE_HASH = `'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`;

/** The policy of these pages: nothing but their own style sheet. */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${STYLE_HASH}`,
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export interface Page {
  readonly title: string;
  readonly paragraphs: readonly string[];
  /** Trusted HTML placed after the text (a form built here). */
  readonly actionsHtml?: string;
}

export function renderPage(page: Page): string {
  const text = page.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join("");
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(page.title)} · Staffgate</title><style>${STYLE}</style></head><body><main><h1>${escapeHtml(page.title)}</h1>${text}${page.actionsHtml ?? ""}</main></body></html>`;
}

/**
 * "Sign out?" for RP-initiated logout. `form` is oidc-provider's hidden form (its action and
 * anti-forgery value); the two buttons submit it, with `logout=yes` or without.
 */
export function logoutPage(form: string, appName: string | undefined): string {
  return renderPage({
    title: "Sign out?",
    paragraphs: [
      appName
        ? `${appName} asked to sign you out. Signing out ends your Staffgate sign-in too, in this browser and in the other apps that use it.`
        : "Signing out ends your Staffgate sign-in, in this browser and in the other apps that use it.",
    ],
    actionsHtml: `${form}<div class="actions"><button class="primary" type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button><button class="secondary" type="submit" form="op.logoutForm">No, stay signed in</button></div>`,
  });
}

export function signedOutPage(): string {
  return renderPage({ title: "You're signed out", paragraphs: ["You can close this window."] });
}

/** `details`: oidc-provider's error code and description, for the app's developer. */
export function errorPage(details?: string): string {
  return renderPage({
    title: "This sign-in can't continue",
    paragraphs: [
      "The app that sent you here made a request Staffgate can't accept, or the request has expired.",
      "Go back to the app and try again. If it keeps happening, tell the person who manages the app.",
      ...(details ? [`Details for the app's developer: ${details}`] : []),
    ],
  });
}
