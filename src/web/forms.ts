import type { FastifyReply } from "fastify";
import type { core, ZodType } from "zod";
import { CSRF_FIELD, csrfTokenMatches } from "../http/csrf.ts";
import { AppError, validationFailed, type ErrorCode } from "../core/errors.ts";
import type { MessageKey, Translate } from "../i18n/i18n.ts";
import type { PageContext, PageView } from "./layout.ts";
import { redirect, refusedPage, sendPage } from "./page.ts";

declare module "fastify" {
  interface FastifyRequest {
    /**
     * A refusal that came with the form before its own pipeline ran (the editor's image, picked
     * in the form and refused: not an image, over the allowance, not allowed here). The form comes
     * back with its text kept and this message, and its use case does not run.
     */
    uploadRefusal?: AppError;
  }
}

/** Submitted form fields as text, the way the form is re-displayed. */
export type FormValues = Record<string, string>;
/** Messages by field name; `_form` holds a message for the whole form. */
export type FormErrors = Record<string, string>;

export interface FormState {
  values: FormValues;
  errors: FormErrors;
  /** The editor's Preview button was pressed: the form comes back with the text rendered under it. */
  preview?: boolean;
  /** The explanation key of the use case's refusal the form comes back with, if it gave one. */
  refusedWith?: string;
}

/** The name of the editor's no-script Preview button (web/editor.ts). */
const PREVIEW_BUTTON = "_preview";

export function blankForm(values: FormValues = {}): FormState {
  return { values, errors: {} };
}

/** Splits "wifi, router" into the tag list the API takes. */
export function splitList(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * A number typed into a form field: blank (or only spaces) is absent, so the stored value stays;
 * a decimal number is that number; anything else ("0x10", "1e3", words) is NaN, which the schema
 * refuses. `Number()` alone read "  " as 0 and "0x10" as 16.
 */
export function formNumber(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  return /^[-+]?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
}

/**
 * The same, where a blank field clears the value (an optional deadline, no category); a field the
 * form did not send stays absent, so the stored value is kept, as in JSON.
 */
export const formNumberOrNull = (value: string | undefined): number | null | undefined =>
  value === undefined ? undefined : (formNumber(value) ?? null);

/** The localized message for a schema complaint; the schemas' own texts are English. */
function issueMessage(t: Translate, issue: core.$ZodIssue): string {
  const field = String(issue.path[0] ?? "");
  // zod names an integer outside the safe range by "int": a number too, not a text's length.
  const isNumber = "origin" in issue && (issue.origin === "number" || issue.origin === "int");
  switch (issue.code) {
    case "too_small":
      if (isNumber) return t("form.numberMin", { min: Number(issue.minimum) });
      return issue.origin === "string" && Number(issue.minimum) > 1
        ? t("form.tooShort", { min: Number(issue.minimum) })
        : t("form.required");
    case "too_big":
      if (isNumber) return t("form.numberMax", { max: Number(issue.maximum) });
      return issue.origin === "array"
        ? t("form.tooMany", { max: Number(issue.maximum) })
        : t("form.tooLong", { max: Number(issue.maximum) });
    case "invalid_format":
      if (issue.format === "email") return t("form.email");
      if (issue.format === "url") return t("form.url");
      return field === "tags" ? t("form.tagFormat") : field === "slug" ? t("form.slugFormat") : t("form.invalid");
    case "invalid_value":
    case "invalid_union":
      return t("form.choose");
    case "custom": {
      // A schema's own check names its localized message and the values it shows:
      // `refine(f, { message, params: { messageKey, messageParams } })`.
      const { messageKey, messageParams } = (issue.params ?? {}) as {
        messageKey?: MessageKey;
        messageParams?: Record<string, string | number>;
      };
      return messageKey ? t(messageKey, messageParams) : t("form.invalid");
    }
    default:
      return t("form.invalid");
  }
}

/**
 * Reads a urlencoded form; refuses it (403) without the request's CSRF token (the session's, else
 * the cookie's). The refusal names its message key, so the error page says why in every language.
 */
function readForm(page: PageContext): FormValues {
  const body = (page.req.body ?? {}) as Record<string, unknown>;
  if (!csrfTokenMatches(page.req, body[CSRF_FIELD])) throw refusedPage(page, "error.csrf");
  const values: FormValues = {};
  for (const [name, value] of Object.entries(body)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (name !== CSRF_FIELD && typeof first === "string") values[name] = first;
  }
  return values;
}

export type ParsedForm<T> =
  | { ok: true; data: T; values: FormValues }
  | { ok: false; values: FormValues; errors: FormErrors };

/**
 * Checks the CSRF token, then validates the form with the same zod schema as the API;
 * `toInput` turns form text into the API's shape first (numbers, lists).
 */
/**
 * A form's input as the API would receive it in JSON, which cannot carry `undefined`: a field left
 * blank is absent, so a use case merging the input over what is stored keeps the stored value.
 */
function withoutUndefined(input: unknown): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

export function parseForm<T>(
  page: PageContext,
  schema: ZodType<T>,
  toInput: (values: FormValues) => unknown = (v) => v,
): ParsedForm<T> {
  const values = readForm(page);
  const result = schema.safeParse(withoutUndefined(toInput(values)));
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FormErrors = {};
  for (const issue of result.error.issues) errors[String(issue.path[0] ?? "_form")] ??= issueMessage(page.t, issue);
  return { ok: false, values, errors };
}

/** Turns an expected refusal from a use case into form errors; anything else is not the form's business. */
function refusalErrors(
  t: Translate,
  error: unknown,
  refusals: Partial<Record<ErrorCode, FormErrors>> = {},
): FormErrors | null {
  if (!(error instanceof AppError)) return null;
  const known = refusals[error.code];
  if (known) return known;
  const fields = Object.keys(error.fields ?? {});
  if (error.explanation) {
    const text = t(error.explanation.key as MessageKey, error.explanation.params);
    return fields.length ? Object.fromEntries(fields.map((field) => [field, text])) : { _form: text };
  }
  if (error.code === "rate_limited") return { _form: t("error.rateLimited") };
  if (error.code === "validation_failed")
    return fields.length
      ? Object.fromEntries(fields.map((field) => [field, t("form.invalid")]))
      : { _form: t("form.invalid") };
  return null;
}

export interface FormSpec<T> {
  schema: ZodType<T>;
  toInput?: (values: FormValues) => unknown;
  /** Does the work and returns where to go next; `values` is the form's text as submitted. */
  run(data: T, values: FormValues): Promise<string>;
  /** Shows the form again with the submitted values and messages; without it, errors go to the error page. */
  rerender?(form: FormState): PageView | Promise<PageView>;
  /** Form messages for refusals the use case may answer, by error code (e.g. conflict: the email is taken). */
  refusals?: Partial<Record<ErrorCode, FormErrors>>;
}

/** The whole life of a form post: CSRF, validation, the use case, then a 303 redirect or the form again (4xx). */
export async function submitForm<T>(page: PageContext, spec: FormSpec<T>): Promise<FastifyReply> {
  const parsed = parseForm(page, spec.schema, spec.toInput);
  const refusal = page.req.uploadRefusal;
  if (refusal) {
    // The refused image's own message (not the use case's refusals), with the text's if any:
    // nothing is posted, nothing typed is lost.
    const refused = spec.rerender ? refusalErrors(page.t, refusal) : null;
    if (!refused || !spec.rerender) throw refusal;
    const { [PREVIEW_BUTTON]: pressed, ...values } = parsed.values;
    const errors = { ...(parsed.ok ? {} : parsed.errors), ...refused };
    return sendPage(page, await spec.rerender({ values, errors, preview: pressed !== undefined }), refusal.status);
  }
  if (PREVIEW_BUTTON in parsed.values && spec.rerender) {
    const { [PREVIEW_BUTTON]: _pressed, ...values } = parsed.values;
    return sendPage(page, await spec.rerender({ values, errors: {}, preview: true }), 200);
  }
  let errors: FormErrors;
  let status = 422;
  let refusedWith: string | undefined;
  if (parsed.ok) {
    try {
      return redirect(page.reply, await spec.run(parsed.data, parsed.values));
    } catch (error) {
      const known = spec.rerender ? refusalErrors(page.t, error, spec.refusals) : null;
      if (!known) throw error;
      errors = known;
      status = (error as AppError).status;
      refusedWith = (error as AppError).explanation?.key;
    }
  } else {
    errors = parsed.errors;
  }
  if (!spec.rerender) throw validationFailed(errors, page.t("form.invalid"));
  return sendPage(page, await spec.rerender({ values: parsed.values, errors, refusedWith }), status);
}
