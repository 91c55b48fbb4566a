export { composeEmail, escapeHtml, type ComposedEmail } from "./compose.js";
export { enqueueBackchannelLogout, enqueueEmail, enqueueSms, type EnqueueDeps } from "./outbox.js";
export { createTwilioTransport } from "./twilio.js";
export { countMessagesByStatus, countMessagesSince } from "./outbox.repository.js";
export { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from "./outbox-worker.js";
export {
  PermanentDeliveryError,
  UncertainDeliveryError,
  createDevMailbox,
  createSmtpTransport,
  type DevMailbox,
  type MailboxEntry,
  type MessageTransport,
} from "./transports.js";
export { GSM_SEGMENT_SEPTETS, gsmSeptets, toGsm } from "./gsm.js";
