// Steps through the Office Portal's own pages, as staff take them.
import type { Locator, Page } from "playwright-core";

/** Fills in the sign-in form already on `page` and submits it. */
export async function submitLogin(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel("Username or email").fill(login);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Opens the business's sign-in page and signs in; where that leads is for the caller to check. */
export async function signInThroughUi(
  page: Page,
  url: string,
  slug: string,
  login: string,
  password: string,
): Promise<void> {
  await page.goto(`${url}/a/${slug}/login`);
  await submitLogin(page, login, password);
}

/**
 * After signing in with a temporary password: chooses `newPassword` on "Choose a new password",
 * and waits for the sign-in page that follows. The page doesn't ask again for the temporary
 * password just typed (within 10 minutes of signing in); `temporary` fills it if it does.
 */
export async function replaceTemporaryPassword(page: Page, temporary: string, newPassword: string): Promise<void> {
  await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
  const temporaryField = page.getByLabel("Temporary password", { exact: true });
  if ((await temporaryField.count()) > 0) await temporaryField.fill(temporary);
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Confirm new password", { exact: true }).fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByText("Your password was changed. Sign in with your new password.").waitFor();
}

/** An item of a new-password checklist (`min-length`, `common`, `personal`), only in `status` when given. */
export function requirement(scope: Page | Locator, id: string, status?: string): Locator {
  return scope.locator(`[data-requirement="${id}"]${status ? `[data-status="${status}"]` : ""}`);
}

/** Whether the element `locator` finds has focus. (Runs in the page; the project's Node typings have no DOM.) */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate(
    (element: unknown) =>
      element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
  );
}
