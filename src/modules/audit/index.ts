export { AUDIT_ACTIONS, isAuditAction, missingAuditWords, type AuditAction } from "../../contract/audit-actions.js";
export {
  listAuditEvents,
  recordAuditEvent,
  recordRepeatedAuditEvent,
  type AuditDeps,
  type AuditEvent,
  type AuditEventInput,
  type AuditParty,
  type AuditQuery,
  type AuditSource,
} from "./audit.repository.js";
