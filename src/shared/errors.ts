/**
 * The one catalogue of error codes. Every error the API returns has one of these codes and the
 * HTTP status written beside it; nothing else decides a status.
 */
export const errorCatalogue = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  WEAK_PASSWORD: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  EXTERNAL_ID_TAKEN: 409,
  ALREADY_MEMBER: 409,
  PAYLOAD_TOO_LARGE: 413,
  RULE_VIOLATION: 422,
  PROGRAM_ARCHIVED: 422,
  DESTINATION_NOT_ALLOWED: 422,
  NO_SUCH_ACCOUNT: 422,
  LAST_OWNER: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
  REASON_REQUIRED: 400,
  ALREADY_ENROLLED: 409,
  PROGRAM_INVITE_ONLY: 422,
  INVALID_TRANSITION: 422,
  INVALID_SLUG: 400,
  INVALID_DESTINATION: 400,
  SLUG_RESERVED: 409,
  SLUG_TAKEN: 409,
  CREATOR_NOT_APPROVED: 422,
  INVALID_CONTENT: 422,
  CONTENT_EXISTS: 409,
  INVALID_CODE: 400,
  CODE_TAKEN: 409,
  CODE_REPLACED: 409,
  CONVERSION_CONFLICT: 409,
  EXCHANGE_RATE_MISSING: 422,
  COMMISSION_NOT_HELD: 422,
  COMMISSION_LOCKED: 422,
  INVALID_SIGNATURE: 401,
  INTEGRATION_NOT_CONFIGURED: 409,
  INVALID_PAYLOAD: 400,
  BELOW_PLATFORM_MINIMUM: 422,
  NOT_MEASURED: 422,
  INVALID_TOKEN: 400,
  EMAIL_ALREADY_VERIFIED: 409,
  DOMAIN_NOT_VERIFIED: 422,
  BRAND_SIGNUP_CLOSED: 403,
  INVALID_CURSOR: 400,
  NOT_A_SESSION: 400,
  UNKNOWN_LINE: 422,
  AMOUNT_OUT_OF_RANGE: 400,
  HANDLE_TAKEN: 409,
  BIO_LINK_UNKNOWN: 422,
  CURRENCY_MISMATCH: 422,
  PAYOUT_METHOD_NOT_ALLOWED: 422,
  PAYOUT_RUN_IN_PROGRESS: 409,
  PAYOUT_ACCOUNT_MISSING: 422,
  PAYOUT_PROVIDER_NOT_CONFIGURED: 422,
  BRAND_BILLING_DETAILS_MISSING: 422,
  INVOICE_NOT_ISSUED: 409,
  CREDIT_NOTE_NOT_ISSUED: 409,
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldIssue[] | undefined;

  constructor(code: ErrorCode, message: string, fields?: FieldIssue[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalogue[code];
    this.fields = fields;
  }
}

export const notFound = (what: string): AppError => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'Your role does not allow this'): AppError => new AppError('FORBIDDEN', message);

/** Thrown where the start-up must stop with one line on stderr and exit code 1. */
export class StartupError extends Error {
  override name = 'StartupError';
}
