export { missingAuditWords, type AuditAction } from "../../contract/audit-actions.js";
export { recordAuditEvent, recordRepeatedAuditEvent, type AuditParty, type AuditSource } from "./audit.repository.js";
