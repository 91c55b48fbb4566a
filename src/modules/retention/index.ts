export { createRetentionJob, type RetentionJob } from "./retention.js";
