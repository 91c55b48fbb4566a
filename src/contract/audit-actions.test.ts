import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PERMISSION_CATALOGUE } from "../modules/permissions/index.js";
import {
  AUDIT_ACTIONS,
  AUDIT_DETAIL_CODES,
  AUDIT_DETAIL_KEYS,
  AUDIT_GROUPS,
  isAuditAction,
  missingAuditWords,
} from "./audit-actions.js";

const SRC = join(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("the audit log's shared vocabulary", () => {
  it("gives every action a name for the filter, a sentence and a group", () => {
    const names = new Set<string>();
    for (const [action, text] of Object.entries(AUDIT_ACTIONS)) {
      expect(text.name.trim(), action).not.toBe("");
      expect(text.sentence.trim(), action).not.toBe("");
      expect(Object.keys(AUDIT_GROUPS), action).toContain(text.group);
      expect(names.has(text.name), `two actions named "${text.name}"`).toBe(false);
      names.add(text.name);
      // Plain words: no code leaks into what a manager reads.
      expect(`${text.name} ${text.sentence}`, action).not.toMatch(/[a-z]+_[a-z]+|\w+\.\w+/);
    }
    for (const [key, detail] of Object.entries(AUDIT_DETAIL_KEYS)) expect(detail.label.trim(), key).not.toBe("");
    for (const [code, words] of Object.entries(AUDIT_DETAIL_CODES)) {
      expect(words.trim(), code).not.toBe("");
      expect(words, code).not.toMatch(/[a-z]+_[a-z]+/);
    }
  });

  it("lists every action the server's code writes", () => {
    const permissionKeys = new Set<string>(PERMISSION_CATALOGUE.map((permission) => permission.key));
    const written = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, "utf8");
      if (!/recordAuditEvent|recordRepeatedAuditEvent|AuditAction/.test(text) || file.includes("contract")) continue;
      for (const [, literal] of text.matchAll(
        /"((?:auth|two_factor|access|password|password_reset|staff|settings|account|sms_credits|message|support|oidc|oidc_client)\.[a-z_]+)"/g,
      )) {
        if (!permissionKeys.has(literal as string)) written.add(literal as string);
      }
    }
    expect(written.size).toBeGreaterThan(40);
    expect([...written].filter((action) => !isAuditAction(action))).toEqual([]);
  });

  it("names what has no words: an unknown action, detail or code", () => {
    expect(missingAuditWords("staff.teleported", {})).toEqual(['action "staff.teleported"']);
    expect(missingAuditWords("support.owner_recovered", { delivery: "carrier_pigeon", mood: "good" })).toEqual([
      'code "carrier_pigeon" of support.owner_recovered delivery',
      'detail "mood" of support.owner_recovered',
    ]);
    expect(
      missingAuditWords("support.recovery_case_opened", {
        caseId: "case_1",
        callerName: "Olivia",
        checks: { ownerFullName: "match", cardLast4: "not_provided", businessPhone: "maybe_so", shoeSize: "match" },
        status: "unverified",
      }),
    ).toEqual([
      'code "maybe_so" of support.recovery_case_opened checks.businessPhone',
      'detail "checks.shoeSize" of support.recovery_case_opened',
    ]);
    expect(missingAuditWords("account.ownership_details_changed", { changed: ["cardLast4", "pin"] })).toEqual([
      'field "pin" of account.ownership_details_changed changed',
    ]);
    // A person's own words and sentences are shown as they are.
    expect(missingAuditWords("sms_credits.granted", { reason: "make_up_for_outage", change: 5 })).toEqual([]);
    expect(missingAuditWords("sms_credits.refunded", { reason: "Text message refused by the SMS provider" })).toEqual(
      [],
    );
  });
});
