export { composeEmail, escapeHtml, type ComposedEmail, type EmailBlock, type EmailContent } from "./compose.js";
export {
  BACKCHANNEL_LOGOUT_MAX_ATTEMPTS,
  EMAIL_MAX_ATTEMPTS,
  SMS_MAX_ATTEMPTS,
  enqueueBackchannelLogout,
  enqueueEmail,
  enqueueSms,
  type EnqueueDeps,
} from "./outbox.js";
export { createTwilioTransport, type TwilioOptions, type TwilioSettings } from "./twilio.js";
export { countMessagesByStatus, countMessagesSince } from "./outbox.repository.js";
export type { OutboxChannel, OutboxMessageRow, OutboxStatus } from "./outbox.table.js";
export {
  createOutboxWorker,
  retryDelayMs,
  type GiveUpReason,
  type OutboxWorker,
  type OutboxWorkerDeps,
  type OutboxWorkerOptions,
} from "./outbox-worker.js";
export {
  PermanentDeliveryError,
  UncertainDeliveryError,
  createDevMailbox,
  createSmtpTransport,
  type DeliveryResult,
  type DevMailbox,
  type LookupQuery,
  type LookupResult,
  type MailboxEntry,
  type MessageTransport,
  type OutgoingMessage,
} from "./transports.js";
export { GSM_SEGMENT_SEPTETS, gsmSeptets, toGsm } from "./gsm.js";
