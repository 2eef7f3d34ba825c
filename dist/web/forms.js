import { CSRF_FIELD, csrfTokenMatches } from "../http/csrf.js";
import { AppError, forbidden, validationFailed } from "../core/errors.js";
import { redirect, sendPage } from "./page.js";
export function blankForm(values = {}) {
    return { values, errors: {} };
}
/** Splits "wifi, router" into the tag list the API takes. */
export function splitList(text) {
    return (text ?? "")
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean);
}
/** The localized message for a schema complaint; the schemas' own texts are English. */
function issueMessage(t, issue) {
    const field = String(issue.path[0] ?? "");
    switch (issue.code) {
        case "too_small":
            return issue.origin === "string" && Number(issue.minimum) > 1
                ? t("form.tooShort", { min: Number(issue.minimum) })
                : t("form.required");
        case "too_big":
            return issue.origin === "array"
                ? t("form.tooMany", { max: Number(issue.maximum) })
                : t("form.tooLong", { max: Number(issue.maximum) });
        case "invalid_format":
            if (issue.format === "email")
                return t("form.email");
            return field === "tags" ? t("form.tagFormat") : field === "slug" ? t("form.slugFormat") : t("form.invalid");
        case "invalid_value":
        case "invalid_union":
            return t("form.choose");
        default:
            return t("form.invalid");
    }
}
/** Reads a urlencoded form; refuses it (403) unless it carries the CSRF token of the visitor's cookie. */
function readForm(page) {
    const body = (page.req.body ?? {});
    if (!csrfTokenMatches(page.req, body[CSRF_FIELD]))
        throw forbidden(page.t("error.csrf"));
    const values = {};
    for (const [name, value] of Object.entries(body)) {
        const first = Array.isArray(value) ? value[0] : value;
        if (name !== CSRF_FIELD && typeof first === "string")
            values[name] = first;
    }
    return values;
}
/**
 * Checks the CSRF token, then validates the form with the same zod schema as the API;
 * `toInput` turns form text into the API's shape first (numbers, lists).
 */
export function parseForm(page, schema, toInput = (v) => v) {
    const values = readForm(page);
    const result = schema.safeParse(toInput(values));
    if (result.success)
        return { ok: true, data: result.data, values };
    const errors = {};
    for (const issue of result.error.issues)
        errors[String(issue.path[0] ?? "_form")] ??= issueMessage(page.t, issue);
    return { ok: false, values, errors };
}
/** Turns an expected refusal from a use case into form errors; anything else is not the form's business. */
function refusalErrors(t, error, refusals = {}) {
    if (!(error instanceof AppError))
        return null;
    const known = refusals[error.code];
    if (known)
        return known;
    if (error.code === "rate_limited")
        return { _form: t("error.rateLimited") };
    if (error.code === "validation_failed") {
        const fields = Object.keys(error.fields ?? {});
        return fields.length
            ? Object.fromEntries(fields.map((field) => [field, t("form.invalid")]))
            : { _form: t("form.invalid") };
    }
    return null;
}
/** The whole life of a form post: CSRF, validation, the use case, then a 303 redirect or the form again (4xx). */
export async function submitForm(page, spec) {
    const parsed = parseForm(page, spec.schema, spec.toInput);
    let errors;
    let status = 422;
    if (parsed.ok) {
        try {
            return redirect(page.reply, await spec.run(parsed.data, parsed.values));
        }
        catch (error) {
            const known = spec.rerender ? refusalErrors(page.t, error, spec.refusals) : null;
            if (!known)
                throw error;
            errors = known;
            status = error.status;
        }
    }
    else {
        errors = parsed.errors;
    }
    if (!spec.rerender)
        throw validationFailed(errors, page.t("form.invalid"));
    return sendPage(page, await spec.rerender({ values: parsed.values, errors }), status);
}
