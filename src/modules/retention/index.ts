export {
  RETENTION,
  createRetentionJob,
  type RetentionJob,
  type RetentionKind,
  type RetentionOptions,
} from "./retention.js";
