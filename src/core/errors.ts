/** Stable error codes; one place (http/errors) maps them to HTTP statuses. */
export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "validation_failed"
  | "rate_limited";

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
};

export type FieldErrors = Record<string, string>;

/** A refusal explained in the reader's language: a key of the i18n layer's messages and its values. */
export interface Explanation {
  key: string;
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    /** For forms: the message to show in the reader's language, next to `fields` (or the whole form). */
    readonly explanation?: Explanation,
  ) {
    super(message);
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

export const badRequest = (message: string) => new AppError("bad_request", message);
export const unauthorized = (message = "You need to log in to do this.") => new AppError("unauthorized", message);
export const forbidden = (message = "You are not allowed to do this.") => new AppError("forbidden", message);
/** Also used for rows the actor may not see, so a refusal never reveals that a row exists. */
export const notFound = (what = "Resource") => new AppError("not_found", `${what} not found.`);
export const conflict = (message: string) => new AppError("conflict", message);
export const validationFailed = (fields: FieldErrors, message = "Some fields are invalid.") =>
  new AppError("validation_failed", message, fields);
/** One field refused (422): `message` for the API, `key` the i18n message forms show by the field. */
export const fieldRefused = (field: string, message: string, key: string) =>
  new AppError("validation_failed", "Some fields are invalid.", { [field]: message }, { key });
export const rateLimited = (message = "Too many requests, please wait a moment.") =>
  new AppError("rate_limited", message);
