/**
 * The example app's pages: plain HTML, one stylesheet, no script. Every value from outside
 * (names from the ID token) goes through `escapeHtml`.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Office Portal example</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header><p class="brand"><a href="/">Office Portal example</a></p></header>
<main>
${body}
</main>
</body>
</html>
`;
}

const signOutForm = `<form method="post" action="/logout"><button type="submit">Sign out</button></form>`;
const signInForm = (returnTo: string) =>
  `<form method="get" action="/login">${
    returnTo === "/" ? "" : `<input type="hidden" name="returnTo" value="${escapeHtml(returnTo)}">`
  }<button type="submit">Sign in with Staffgate</button></form>`;

export function homePage(person: { name: string; accountName: string; adminFullAccess: boolean } | undefined) {
  if (!person) {
    return page(
      "Welcome",
      `<h1>Welcome</h1>
<p>You are not signed in.</p>
${signInForm("/")}`,
    );
  }
  return page(
    "Home",
    `<h1>Home</h1>
<p class="signed-in">Signed in as <strong>${escapeHtml(person.name)}</strong> at <strong>${escapeHtml(person.accountName)}</strong></p>
<nav aria-label="Pages"><ul>
<li><a href="/admin">Admin page</a>${person.adminFullAccess ? "" : " (needs Admin Access)"}</li>
</ul></nav>
${signOutForm}`,
  );
}

export function adminPage(person: { name: string; accountName: string }) {
  return page(
    "Admin",
    `<h1>Admin</h1>
<p>Only people with Admin Access at ${escapeHtml(person.accountName)} can open this page.</p>
<p>Signed in as <strong>${escapeHtml(person.name)}</strong>.</p>
<p><a href="/">Back to Home</a></p>
${signOutForm}`,
  );
}

export function adminRefusedPage(person: { name: string; accountName: string }) {
  return page(
    "Admin Access needed",
    `<h1>Admin Access needed</h1>
<p>${escapeHtml(person.name)}, this page is only for people with Admin Access at ${escapeHtml(person.accountName)}.
Ask your Business Owner or an Admin to give you Admin Access in Staffgate, then sign in again.</p>
<p><a href="/">Back to Home</a></p>`,
  );
}

export function signInNeededPage(returnTo: string) {
  return page(
    "Sign in needed",
    `<h1>Sign in needed</h1>
<p>Sign in to open this page.</p>
${signInForm(returnTo)}`,
  );
}

export function signInFailedPage(reason: string) {
  return page(
    "Sign-in didn't finish",
    `<h1>Sign-in didn't finish</h1>
<p>${escapeHtml(reason)}</p>
${signInForm("/")}`,
  );
}

export function notFoundPage() {
  return page("Not found", `<h1>Not found</h1><p>There is no page at this address.</p><p><a href="/">Home</a></p>`);
}

export const STYLESHEET = `body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #fff; line-height: 1.5; }
header { background: #0b3d63; padding: 0.75rem 1.5rem; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
main { max-width: 40rem; margin: 2rem auto; padding: 0 1.5rem; }
a { color: #0b5394; }
button { font: inherit; padding: 0.5rem 1rem; border-radius: 0.375rem; border: 1px solid #0b3d63; background: #0b3d63; color: #fff; cursor: pointer; }
button:focus-visible, a:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
`;
