/**
 * The one error type of Meterplane. Every failure a caller can act on has a code; the HTTP layer maps
 * codes to statuses and the CLI maps them to exit codes, so domain code never thinks about either.
 */
export const errorStatus = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  CREDENTIAL_REVOKED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  UNKNOWN_ENVIRONMENT: 422,
  ENVIRONMENT_NOT_ASSIGNED: 422,
  CONFLICT: 409,
  SEQUENCE_REUSED: 409,
  INVOICE_NOT_DRAFT: 409,
  INVOICE_NOT_FINALIZED: 409,
  INVOICE_PERIOD_OPEN: 409,
  CREDIT_EXCEEDS_INVOICE: 422,
  SUBSCRIPTION_NOT_ACTIVE: 409,
  STRIPE_AMOUNT_UNREPRESENTABLE: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UPGRADE_REQUIRED: 426,
  RATE_LIMITED: 429,
  BACKLOG_FULL: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
