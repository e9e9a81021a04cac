/** A Stripe-shaped API error: the double answers `{ error: { type, code, message, param } }` with `status`. */
export class StripeDoubleError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }

  body() {
    return {
      error: {
        type: this.type,
        message: this.message,
        ...(this.code
          ? { code: this.code, doc_url: `https://stripe.com/docs/error-codes/${this.code}` }
          : {}),
        ...(this.param ? { param: this.param } : {}),
      },
    };
  }
}

export function missing(kind: string, id: string, param = "id"): StripeDoubleError {
  return new StripeDoubleError(
    404,
    "invalid_request_error",
    `No such ${kind}: '${id}'`,
    "resource_missing",
    param,
  );
}

export function invalid(message: string, param?: string, code = "parameter_invalid"): StripeDoubleError {
  return new StripeDoubleError(400, "invalid_request_error", message, code, param);
}
