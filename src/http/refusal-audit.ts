/**
 * Refusals leave a trace: a signed-in person refused an action (403 `forbidden` or
 * `owner_protected`) is written to the audit log as `access.refused`, with what they tried. A
 * person repeating it within a minute bumps one row's count instead of adding rows, so refusals
 * can't flood the log.
 */
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app-deps.js";
import { recordRepeatedAuditEvent } from "../modules/audit/index.js";
import { findStaffById, fullName } from "../modules/staff/index.js";
import { DomainError } from "../shared/errors.js";

const REFUSALS = new Set(["forbidden", "owner_protected"]);

export function registerRefusalAudit(app: FastifyInstance, deps: AppDeps): void {
  app.addHook("onError", async (request, _reply, error) => {
    if (!(error instanceof DomainError) || !REFUSALS.has(error.code)) return;
    const session = request.portalSession;
    if (!session) return;
    const staffId = (request.params as { staffId?: unknown }).staffId;
    const target =
      typeof staffId === "string"
        ? await findStaffById(deps.db, session.account.id, staffId).catch(() => undefined)
        : undefined;
    const what = request.routeOptions.schema?.summary ?? `${request.method} ${request.routeOptions.url ?? ""}`;
    try {
      await recordRepeatedAuditEvent(deps.db, deps, {
        accountId: session.account.id,
        source: "office_portal",
        actor: { type: "staff", id: session.staff.id, name: fullName(session.staff) },
        action: "access.refused",
        target: target ? { type: "staff", id: target.id, name: fullName(target) } : null,
        ip: request.ip,
        key: `${session.staff.id} ${request.method} ${request.routeOptions.url ?? ""} ${error.code}`,
        details: { code: error.code, what, reason: error.message },
      });
    } catch (auditError) {
      request.log.error({ err: auditError }, "could not audit a refused action");
    }
  });
}
