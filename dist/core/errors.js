export const STATUS_BY_CODE = {
    bad_request: 400,
    unauthorized: 401,
    forbidden: 403,
    not_found: 404,
    conflict: 409,
    validation_failed: 422,
    rate_limited: 429,
};
export class AppError extends Error {
    code;
    fields;
    constructor(code, message, fields) {
        super(message);
        this.code = code;
        this.fields = fields;
    }
    get status() {
        return STATUS_BY_CODE[this.code];
    }
}
export const badRequest = (message) => new AppError("bad_request", message);
export const unauthorized = (message = "You need to log in to do this.") => new AppError("unauthorized", message);
export const forbidden = (message = "You are not allowed to do this.") => new AppError("forbidden", message);
/** Also used for rows the actor may not see, so a refusal never reveals that a row exists. */
export const notFound = (what = "Resource") => new AppError("not_found", `${what} not found.`);
export const conflict = (message) => new AppError("conflict", message);
export const validationFailed = (fields, message = "Some fields are invalid.") => new AppError("validation_failed", message, fields);
export const rateLimited = (message = "Too many requests, please wait a moment.") => new AppError("rate_limited", message);
