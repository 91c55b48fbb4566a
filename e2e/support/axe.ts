/**
 * Accessibility checks with axe-core (WCAG 2.2 A and AA) on the page as it is now. Every browser
 * test calls `expectAccessible` on each page state it visits, so a violation fails the test
 * that brought it in, with the rule, the elements and axe's advice in the message.
 */
import axe from "axe-core";
import type { Page } from "playwright-core";

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly failureSummary?: string }[];
}

/** Runs axe-core in the page and fails with a readable list of violations. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const loaded = await page.evaluate(() => "axe" in globalThis);
  // Evaluated through the DevTools protocol rather than added as a <script>: the pages under test
  // forbid inline scripts (CSP), and the check must not need them to relax it.
  if (!loaded) await page.evaluate(axe.source);
  const violations = await page.evaluate(async (tags) => {
    const runner = (globalThis as unknown as { axe: { run(options: object): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const result = await runner.run({ runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({
        target: node.target,
        ...(node.failureSummary ? { failureSummary: node.failureSummary } : {}),
      })),
    }));
  }, WCAG_TAGS);
  if (violations.length === 0) return;
  const lines = violations.map(
    (violation) =>
      `- ${violation.id} (${violation.impact ?? "?"}): ${violation.help}\n` +
      violation.nodes.map((node) => `    ${JSON.stringify(node.target)} ${node.failureSummary ?? ""}`).join("\n"),
  );
  throw new Error(`axe-core found ${violations.length} accessibility violation(s) on ${where}:\n${lines.join("\n")}`);
}
