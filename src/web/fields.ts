import { html, type Html } from "./html.ts";
import type { FormState } from "./forms.ts";
import type { PageContext } from "./layout.ts";

interface FieldProps {
  form: FormState;
  name: string;
  label: string;
  /** Element id; defaults to the name. Set it when a page holds the same field twice. */
  id?: string;
  hint?: Html | string;
  required?: boolean;
}

export interface Option {
  value: string;
  label: string;
}

function describedBy(id: string, hasHint: boolean, error: string | undefined): string | null {
  const ids = [hasHint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return ids || null;
}

/** Label, control, hint and error message wired together (label for, aria-describedby, aria-invalid). */
function field(props: FieldProps, control: (attrs: Html) => Html): Html {
  const id = props.id ?? props.name;
  const error = props.form.errors[props.name];
  const ids = describedBy(id, props.hint !== undefined, error);
  const attrs = html`id="${id}" name="${props.name}"${props.required ? html` required` : ""}${
    ids ? html` aria-describedby="${ids}"` : ""
  }${error ? html` aria-invalid="true"` : ""}`;
  return html`<div class="field${error ? " has-error" : ""}">
<label for="${id}">${props.label}</label>
${props.hint !== undefined ? html`<p class="hint" id="${id}-hint">${props.hint}</p>` : ""}
${control(attrs)}
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ""}
</div>`;
}

export function inputField(
  props: FieldProps & { type?: string; autocomplete?: string; maxlength?: number; minlength?: number },
): Html {
  const value = props.type === "password" ? "" : (props.form.values[props.name] ?? "");
  return field(
    props,
    (attrs) =>
      html`<input ${attrs} type="${props.type ?? "text"}"
        value="${value}"${props.autocomplete ? html` autocomplete="${props.autocomplete}"` : ""}${
          props.maxlength ? html` maxlength="${props.maxlength}"` : ""
        }${props.minlength ? html` minlength="${props.minlength}"` : ""}>`,
  );
}

/**
 * A browser drops one line break right after `<textarea>`: a text that starts with one gets another
 * before it, so the form comes back with the text exactly as it was sent.
 */
export function textareaText(value: string): string {
  return /^[\r\n]/.test(value) ? `\n${value}` : value;
}

export function textareaField(props: FieldProps & { rows?: number; maxlength?: number }): Html {
  return field(
    props,
    (attrs) =>
      html`<textarea ${attrs} rows="${props.rows ?? 8}"${
        props.maxlength ? html` maxlength="${props.maxlength}"` : ""
      }>${textareaText(props.form.values[props.name] ?? "")}</textarea>`,
  );
}

export function selectField(props: FieldProps & { options: Option[] }): Html {
  const selected = props.form.values[props.name] ?? "";
  return field(
    props,
    (attrs) =>
      html`<select ${attrs}>${props.options.map(
        (o) => html`<option
        value="${o.value}"${o.value === selected ? html` selected` : ""}>${o.label}</option>`,
      )}</select>`,
  );
}

/** Radio buttons in a fieldset, the legend naming the choice. */
export function radioGroup(props: FieldProps & { options: Option[] }): Html {
  const id = props.id ?? props.name;
  const error = props.form.errors[props.name];
  const selected = props.form.values[props.name] ?? "";
  return html`<fieldset id="${id}"
    class="field radios${error ? " has-error" : ""}"${error ? html` aria-describedby="${id}-error"` : ""}>
<legend>${props.label}</legend>
${props.options.map(
  (o, i) =>
    html`<label class="radio" for="${id}-${o.value}"><input type="radio" id="${id}-${o.value}" name="${props.name}"
      value="${o.value}"${o.value === selected ? html` checked` : ""}${
        props.required && i === 0 ? html` required` : ""
      }${error ? html` aria-invalid="true"` : ""}> ${o.label}</label>`,
)}
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ""}
</fieldset>`;
}

/** The editor's file field (web/editor.ts): its name, and its input's id, named after the text field's. */
export const EDITOR_FILE_FIELD = "image";
export function editorFileId(textField = "body"): string {
  return `${textField}-image`;
}

/** Fields whose control's id is not their name: the alert links to the control itself. */
const CONTROL_IDS: Record<string, string> = { [EDITOR_FILE_FIELD]: editorFileId() };

/** Announces a failed submission (role=alert is an assertive live region) and links to each bad field. */
export function formAlert(
  page: PageContext,
  form: FormState,
  labels: Record<string, string> = {},
  idPrefix = "",
): Html {
  if (Object.keys(form.errors).length === 0) return html``;
  const general = form.errors._form;
  // In the order the fields appear on the page (the labels' order), then any others.
  const order = [...Object.keys(labels), ...Object.keys(form.errors)];
  const fields = [...new Set(order)]
    .filter((name) => name !== "_form" && form.errors[name])
    .map((name) => [name, form.errors[name]] as const);
  return html`<div class="form-alert" role="alert">
<p><strong>${general ?? page.t("form.fixErrors")}</strong></p>
${
  fields.length
    ? html`<ul>${fields.map(
        ([name, message]) => html`<li><a
  href="#${idPrefix}${CONTROL_IDS[name] ?? name}">${labels[name] ?? name}</a>: ${message}</li>`,
      )}</ul>`
    : ""
}
</div>`;
}
