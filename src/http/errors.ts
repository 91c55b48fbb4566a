/**
 * The one place that turns errors into HTTP replies: a `DomainError` keeps its catalogued code
 * and status; schema failures become `validation_failed` naming the fields; anything else is a
 * 500 whose details stay in the log.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { DomainError, errorCatalogue, type ErrorCode } from "../shared/errors.js";

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldName(issue: ValidationIssue): string {
  const extra = issue.params?.["additionalProperty"] ?? issue.params?.["additionalProperties"];
  const missing = issue.params?.["missingProperty"] ?? issue.params?.["requiredProperties"];
  const path = (issue.instancePath ?? "").replace(/^\//, "").replace(/\//g, ".");
  const named = extra ?? missing;
  const child = Array.isArray(named) ? named.join(",") : typeof named === "string" ? named : "";
  return [path, child].filter(Boolean).join(".") || "(body)";
}

function describeIssue(issue: ValidationIssue): string {
  if (issue.keyword === "additionalProperties") return "is not an accepted field";
  if (issue.keyword === "required") return "is required";
  return issue.message ?? "is not valid";
}

export function validationDetails(issues: readonly ValidationIssue[]): { fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const issue of issues) fields[fieldName(issue)] ??= describeIssue(issue);
  return { fields };
}

export function sendError(reply: FastifyReply, error: DomainError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header("Retry-After", String(error.retryAfterSeconds));
  const body: { code: ErrorCode; message: string; details?: Readonly<Record<string, unknown>> } = {
    code: error.code,
    message: error.message,
  };
  if (error.details) body.details = error.details;
  return reply.status(errorCatalogue[error.code].status).send({ error: body });
}

export function toDomainError(error: FastifyError): DomainError | undefined {
  if (error instanceof DomainError) return error;
  if (error.validation) {
    return new DomainError("validation_failed", undefined, validationDetails(error.validation as ValidationIssue[]));
  }
  const status = error.statusCode ?? 500;
  if (status === 413) return new DomainError("payload_too_large");
  if (status === 415) return new DomainError("unsupported_media_type");
  if (status === 404) return new DomainError("not_found");
  if (status >= 400 && status < 500) return new DomainError("validation_failed", error.message, { fields: {} });
  return undefined;
}

/** PostgreSQL going away (restart, failover, network) is a 503 to retry, not a server bug. */
const DATABASE_UNAVAILABLE_CODES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08006",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
]);

function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  const message = (error as { message?: string }).message ?? "";
  return (
    (code !== undefined && DATABASE_UNAVAILABLE_CODES.has(code)) ||
    /Connection terminated|connection timeout|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(
      message,
    )
  );
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const domainError = toDomainError(error);
  if (domainError) return sendError(reply, domainError);
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, "database unavailable");
    return sendError(
      reply,
      new DomainError(
        "overloaded",
        "Staffgate can't reach its database right now. Please try again in a moment.",
        undefined,
        2,
      ),
    );
  }
  request.log.error({ err: error }, "unhandled error");
  return sendError(reply, new DomainError("internal_error"));
}
