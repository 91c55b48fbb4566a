export {
  listAuditEvents,
  recordAuditEvent,
  type AuditDeps,
  type AuditEvent,
  type AuditEventInput,
  type AuditParty,
  type AuditSource,
} from "./audit.repository.js";
