import { LIMITS } from "../core/config.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import { assetUrl } from "./assets.ts";
import { EDITOR_FILE_FIELD, editorFileId, textareaField } from "./fields.ts";
import type { FormState } from "./forms.ts";
import { html, raw, type Html } from "./html.ts";
import type { PageContext } from "./layout.ts";

/**
 * The post editor: a Markdown textarea that works as it is, a file field that uploads an image
 * with the post, and a Preview button that shows the text rendered by the server (the form comes
 * back with the text kept). With JavaScript (editor.js) it grows Write/Preview tabs, a formatting
 * toolbar, image upload by pasting, dropping or picking, and a draft kept in the browser.
 * The form around it must be `enctype="multipart/form-data"` and its route in the editor's scope.
 */
export interface EditorProps {
  form: FormState;
  /** The text field's name (and id). */
  name?: string;
  label: string;
  hint: Html | string;
  rows?: number;
  /** The community the post is in: where the preview and the uploads go. */
  community: string;
  /**
   * Names the browser's draft: "new", "t42" (a reply to topic 42), "edit-t42", "edit-r7"; kept per
   * member and community, so on a shared computer the next member to sign in never gets it.
   */
  draft: string;
}

const TOOLS = ["bold", "italic", "link", "code", "list", "quote", "image"] as const;
/** What each tool's button shows (its accessible name is the translated label). */
const FACES: Record<(typeof TOOLS)[number], string> = {
  bold: "B",
  italic: "I",
  link: "🔗",
  code: "</>",
  list: "•",
  quote: "❝",
  image: "🖼",
};

export { EDITOR_FILE_FIELD };

export function editorField(page: PageContext, p: EditorProps): Html {
  const { t } = page;
  const name = p.name ?? "body";
  const slug = encodeURIComponent(p.community);
  const text = p.form.values[name] ?? "";
  // A refused image's message, by the file field (the form's alert links here).
  const fileId = editorFileId(name);
  const fileError = p.form.errors[EDITOR_FILE_FIELD];
  const preview = p.form.preview
    ? html`<section class="editor-preview card" aria-labelledby="${name}-preview-title">
<h2 id="${name}-preview-title">${t("editor.previewTitle")}</h2>
<div class="prose">${text.trim() ? raw(renderMarkdown(text)) : html`<p>${t("editor.previewEmpty")}</p>`}</div>
</section>`
    : "";
  return html`<div class="editor" data-editor="${name}" data-preview-url="/api/v1/communities/${slug}/preview"
  data-upload-url="/api/v1/communities/${slug}/attachments"
  data-draft="${page.actor?.id ?? 0}:${p.community}:${p.draft}"
  data-msg-uploading="${t("editor.uploading")}" data-msg-uploaded="${t("editor.uploaded")}"
  data-msg-invalid="${t("editor.uploadInvalid")}" data-msg-allowance="${t("editor.uploadAllowance")}"
  data-msg-forbidden="${t("editor.uploadForbidden")}" data-msg-failed="${t("editor.uploadFailed")}"
  data-msg-preview-failed="${t("editor.previewFailed")}" data-msg-empty="${t("editor.previewEmpty")}"
  data-msg-restored="${t("editor.draftRestored")}" data-msg-outdated="${t("editor.draftOutdated")}"
  data-msg-elsewhere="${t("editor.draftElsewhere")}">
<div class="editor-bar" data-editor-bar hidden>
<div class="editor-tabs" role="tablist" aria-label="${t("editor.tabs")}"><button type="button" role="tab"
  id="${name}-write-tab" aria-controls="${name}-write" aria-selected="true">${t("editor.write")}</button><button
  type="button" role="tab" id="${name}-preview-tab" aria-controls="${name}-preview" aria-selected="false"
  tabindex="-1">${t("editor.preview")}</button></div>
<div class="editor-tools" role="toolbar" aria-label="${t("editor.toolbar")}" aria-controls="${name}">${TOOLS.map(
    (tool) => html`<button type="button" class="tool" data-tool="${tool}" aria-label="${t(`editor.${tool}`)}"
  title="${t(`editor.${tool}`)}"><span aria-hidden="true">${FACES[tool]}</span></button>`,
  )}</div>
</div>
<div id="${name}-write" data-editor-write>
${textareaField({
  form: p.form,
  name,
  label: p.label,
  hint: p.hint,
  rows: p.rows ?? 10,
  maxlength: LIMITS.bodyMax,
  required: true,
})}
<div class="field editor-file${fileError ? " has-error" : ""}"><label for="${fileId}">${t("editor.attach")}</label>
<p class="hint" id="${fileId}-hint">${t("editor.attachHint")}</p>
<input type="file" id="${fileId}" name="${EDITOR_FILE_FIELD}" accept="image/jpeg,image/png,image/webp,image/gif"
  aria-describedby="${fileId}-hint${fileError ? ` ${fileId}-error` : ""}"${
    fileError ? html` aria-invalid="true"` : ""
  } data-editor-file>
${fileError ? html`<p class="field-error" id="${fileId}-error">${fileError}</p>` : ""}</div>
<p class="editor-status" role="status" data-editor-status></p>
</div>
<div id="${name}-preview" class="prose editor-pane" role="tabpanel" aria-labelledby="${name}-preview-tab" tabindex="0"
  data-editor-preview hidden></div>
<p class="editor-nojs"><button type="submit" class="button" name="_preview" value="1"
  formnovalidate data-editor-nojs>${t("editor.previewButton")}</button></p>
${preview}
</div>
<script src="${assetUrl("editor.js")}" defer></script>`;
}
