import { describe, expect, it } from "vitest";
import { DomainError } from "../../shared/errors.js";
import { conflictFromUniqueViolation } from "./staff-fields.js";

describe("conflictFromUniqueViolation", () => {
  it("turns the username and email indexes' violations, on either database, into field conflicts", () => {
    const sqlite = conflictFromUniqueViolation({
      code: "SQLITE_CONSTRAINT_UNIQUE",
      message: "UNIQUE constraint failed: staff.account_id, staff.email_normalized",
    });
    expect(sqlite).toBeInstanceOf(DomainError);
    expect(sqlite?.details).toEqual({ fields: { email: "already in use" } });
    const postgres = conflictFromUniqueViolation({
      code: "23505",
      message: 'duplicate key value violates unique constraint "staff_account_username_unique"',
    });
    expect(postgres?.details).toEqual({ fields: { username: "already in use" } });
  });

  it("leaves any other violation alone: it is a bug to surface, not a person's field", () => {
    expect(
      conflictFromUniqueViolation({
        code: "23505",
        message: 'duplicate key value violates unique constraint "staff_search_grams_pk"',
      }),
    ).toBeUndefined();
    expect(conflictFromUniqueViolation({ code: "23503", message: "foreign key violation" })).toBeUndefined();
  });
});
