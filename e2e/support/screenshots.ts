import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";

// Set to a directory to keep screenshots of the pages under test (for looking at the layout).
const screenshotDir = process.env["STAFFGATE_E2E_SCREENSHOTS"];

/** A full-page screenshot, when asked for. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (screenshotDir) await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Full-page screenshots at 1280 px and 768 px wide, when asked for. */
export async function screenshotAtTwoWidths(page: Page, name: string): Promise<void> {
  if (!screenshotDir) return;
  await page.screenshot({ path: join(screenshotDir, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 768, height: 900 });
  await page.screenshot({ path: join(screenshotDir, `${name}-768.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** The two windows the issue-16 browser tests check every page at: a laptop and a phone held upright. */
export const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

export type Viewport = (typeof VIEWPORTS)[number];

// Kept always, not only when asked for: they are the tests' artifacts (as CI keeps artifacts/).
const keptDir = screenshotDir ?? join(process.cwd(), "artifacts", "screenshots");

/** A full-page screenshot named after the window it was taken in (`name-desktop.png`), always kept. */
export async function keepScreenshot(page: Page, viewport: Viewport, name: string): Promise<void> {
  await mkdir(keptDir, { recursive: true });
  await page.screenshot({ path: join(keptDir, `${name}-${viewport.name}.png`), fullPage: true });
}
