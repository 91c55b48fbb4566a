export {
  MAX_GRANT,
  debitOneCredit,
  grantCredits,
  listLedger,
  refundCreditForMessage,
  settleCreditOfUndeliveredText,
  type LedgerEntry,
  type SmsCreditDeps,
  type UndeliveredTextReason,
} from "./sms-credits.js";
export { HOUR_MS, requireTextAllowance, type SmsCaps } from "./sms-caps.js";
export type { LedgerKind } from "./sms-credits.table.js";
