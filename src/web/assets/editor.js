// The post editor's enhancements (web/editor.ts): Write/Preview tabs, a formatting toolbar,
// images uploaded by pasting, dropping or picking, and a draft kept in this browser.
// Without this script the form still posts, previews and uploads through the server.
(() => {
  const DRAFTS = "cs-draft:";
  const SUBMITTED = "cs-draft-submitted";
  // Set by the server on a form's success, valued with the form's address (editor.routes.ts).
  const SENT = "cs_draft_sent";
  const clearSent = () => {
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser yet
    document.cookie = `${SENT}=; Path=/; Max-Age=0`;
  };

  function setup(root) {
    const textarea = root.querySelector("textarea");
    const form = root.closest("form");
    if (!textarea || !form) return;
    const msg = (name) => root.dataset[`msg${name}`] || "";
    const status = root.querySelector("[data-editor-status]");
    const say = (text) => {
      status.textContent = text;
    };
    const csrf = () => form.querySelector("input[name=_csrf]")?.value || "";

    // Tabs
    const bar = root.querySelector("[data-editor-bar]");
    const write = root.querySelector("[data-editor-write]");
    const preview = root.querySelector("[data-editor-preview]");
    const tabs = [...root.querySelectorAll("[role=tab]")];
    bar.hidden = false;
    write.setAttribute("role", "tabpanel");
    write.setAttribute("aria-labelledby", tabs[0].id);
    root.querySelector("[data-editor-nojs]").closest("p").hidden = true;

    async function showPreview() {
      preview.textContent = "…";
      try {
        const response = await fetch(root.dataset.previewUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ body: textarea.value }),
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const { html } = await response.json();
        // The server's Markdown pipeline escapes raw HTML: this is the same markup a saved post gets.
        if (textarea.value.trim()) preview.innerHTML = html;
        else preview.textContent = msg("Empty");
      } catch {
        preview.textContent = msg("PreviewFailed");
      }
    }

    function select(index) {
      tabs.forEach((tab, i) => {
        tab.setAttribute("aria-selected", String(i === index));
        tab.tabIndex = i === index ? 0 : -1;
      });
      write.hidden = index !== 0;
      preview.hidden = index !== 1;
      root.querySelector(".editor-tools").hidden = index !== 0;
      if (index === 1) showPreview();
    }
    tabs.forEach((tab, i) => {
      tab.addEventListener("click", () => select(i));
      // The tabs pattern's keys: arrows to the previous or next tab (wrapping), Home and End to the ends.
      const targets = { ArrowLeft: i - 1 + tabs.length, ArrowRight: i + 1, Home: 0, End: tabs.length - 1 };
      tab.addEventListener("keydown", (event) => {
        if (!(event.key in targets)) return;
        const next = targets[event.key] % tabs.length;
        select(next);
        tabs[next].focus();
        event.preventDefault();
      });
    });

    // Toolbar: wraps the selection (or a placeholder) in Markdown.
    function replaceSelection(before, after, placeholder) {
      const { selectionStart: start, selectionEnd: end, value } = textarea;
      const chosen = value.slice(start, end) || placeholder;
      textarea.setRangeText(before + chosen + after, start, end, "end");
      textarea.setSelectionRange(start + before.length, start + before.length + chosen.length);
      textarea.focus();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    function prefixLines(prefix) {
      const { selectionStart: start, selectionEnd: end, value } = textarea;
      const lineStart = value.lastIndexOf("\n", start - 1) + 1;
      const lines = value.slice(lineStart, end).split("\n");
      textarea.setRangeText(lines.map((line) => prefix + line).join("\n"), lineStart, end, "end");
      textarea.focus();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    // On a line of its own after the cursor's line, never over the selection: the text chosen stays.
    function insert(text) {
      const { selectionEnd, value } = textarea;
      const lineEnd = value.indexOf("\n", selectionEnd);
      const end = lineEnd === -1 ? value.length : lineEnd;
      const before = end > 0 ? "\n\n" : "";
      textarea.setRangeText(`${before}${text}\n`, end, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    const fileInput = root.querySelector("[data-editor-file]");
    const TOOLS = {
      bold: () => replaceSelection("**", "**", root.querySelector("[data-tool=bold]").title),
      italic: () => replaceSelection("*", "*", root.querySelector("[data-tool=italic]").title),
      link: () => replaceSelection("[", "](https://)", root.querySelector("[data-tool=link]").title),
      code: () =>
        textarea.value.slice(textarea.selectionStart, textarea.selectionEnd).includes("\n")
          ? replaceSelection("```\n", "\n```", "")
          : replaceSelection("`", "`", "code"),
      list: () => prefixLines("- "),
      quote: () => prefixLines("> "),
      image: () => fileInput.click(),
    };
    for (const button of root.querySelectorAll("[data-tool]"))
      button.addEventListener("click", () => TOOLS[button.dataset.tool]());

    // Images: uploaded now, their Markdown inserted where the cursor is.
    async function upload(file) {
      say(msg("Uploading"));
      const body = new FormData();
      body.append("image", file, file.name || "image.png");
      try {
        const response = await fetch(root.dataset.uploadUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { accept: "application/json", "x-csrf-token": csrf() },
          body,
        });
        if (!response.ok) {
          say(
            response.status === 422 || response.status === 413
              ? msg("Invalid")
              : response.status === 429
                ? msg("Allowance")
                : response.status === 403
                  ? msg("Forbidden")
                  : msg("Failed"),
          );
          return;
        }
        const { attachment } = await response.json();
        insert(attachment.markdown);
        say(msg("Uploaded"));
      } catch {
        say(msg("Failed"));
      }
    }
    fileInput.addEventListener("change", async () => {
      for (const file of fileInput.files) await upload(file);
      fileInput.value = "";
      textarea.focus();
    });
    textarea.addEventListener("paste", (event) => {
      const files = [...(event.clipboardData?.files || [])].filter((f) => f.type.startsWith("image/"));
      if (!files.length) return;
      event.preventDefault();
      files.reduce((done, file) => done.then(() => upload(file)), Promise.resolve());
    });
    textarea.addEventListener("dragover", (event) => {
      if ([...(event.dataTransfer?.types || [])].includes("Files")) event.preventDefault();
    });
    textarea.addEventListener("drop", (event) => {
      const files = [...(event.dataTransfer?.files || [])].filter((f) => f.type.startsWith("image/"));
      if (!files.length) return;
      event.preventDefault();
      files.reduce((done, file) => done.then(() => upload(file)), Promise.resolve());
    });

    // Drafts: the text (and a new topic's title) kept in localStorage, restored on the next visit
    // and dropped once the post went through (see the end of this script).
    const key = DRAFTS + root.dataset.draft;
    const title = form.querySelector("input[name=title]");
    const storage = (() => {
      try {
        return window.localStorage;
      } catch {
        return null;
      }
    })();
    if (!storage) return;
    // A draft remembers the text the form showed when it began (`base`: an edit's post as it was): an
    // edit form whose post changed since (a moderator's edit, one from another device) shows the post
    // as it is now, and the stale draft does not silently undo that change once saved. A form that
    // came back refused shows what was sent, not the post: the draft keeps its base.
    const shown = { body: textarea.defaultValue, title: title?.defaultValue || "" };
    const refused = Boolean(form.querySelector("[aria-invalid=true]") || document.querySelector(".form-alert"));
    let saved = JSON.parse(storage.getItem(key) || "null");
    const differs = (text) => text.body !== shown.body || Boolean(title && text.title !== shown.title);
    if (saved?.base && !refused && differs(saved.base) && differs(saved)) {
      saved = null;
      say(msg("Outdated"));
    }
    if (saved && (saved.body !== textarea.value || (title && saved.title && saved.title !== title.value))) {
      textarea.value = saved.body;
      if (title && saved.title) title.value = saved.title;
      say(msg("Restored"));
    }
    const base = (refused && saved?.base) || shown;
    // Two tabs on one form: a tab saves only over the draft as it last read or wrote it. Once another
    // tab changed it (told by the storage event, or found on saving), this tab says so and stops
    // saving, so neither tab's text silently replaces the other's.
    let last = storage.getItem(key);
    let elsewhere = false;
    const changedElsewhere = () => {
      if (!elsewhere) say(msg("Elsewhere"));
      elsewhere = true;
    };
    const save = () => {
      if (elsewhere || storage.getItem(key) !== last) {
        changedElsewhere();
        return;
      }
      if (textarea.value.trim() || title?.value.trim())
        storage.setItem(key, JSON.stringify({ body: textarea.value, title: title?.value || "", base }));
      else storage.removeItem(key);
      last = storage.getItem(key);
    };
    textarea.addEventListener("input", save);
    title?.addEventListener("input", save);
    window.addEventListener("storage", (event) => {
      if (event.key === key && event.newValue !== last) changedElsewhere();
    });
    form.addEventListener("submit", () => {
      clearSent();
      sessionStorage.setItem(SUBMITTED, JSON.stringify({ key, action: new URL(form.action).pathname }));
    });
  }

  // A form sent from this tab marked its draft (SUBMITTED, with the form's address) and cleared the
  // SENT cookie. The server sets that cookie only when the post went through (its success redirect),
  // so the draft is dropped only when the cookie names the form sent: a send that ended on an error
  // page (an expired CSRF token, the topic gone, a rate limit, a server error) or on the form again
  // keeps the draft for the form's next visit. The address keeps another tab's success from counting.
  try {
    const submitted = JSON.parse(sessionStorage.getItem(SUBMITTED) || "null");
    sessionStorage.removeItem(SUBMITTED);
    const sent = document.cookie
      .split("; ")
      .find((cookie) => cookie.startsWith(`${SENT}=`))
      ?.slice(SENT.length + 1);
    if (submitted && sent && decodeURIComponent(sent) === submitted.action) {
      localStorage.removeItem(submitted.key);
      clearSent();
    }
  } catch {
    // Storage unavailable (private mode): no drafts.
  }
  for (const root of document.querySelectorAll("[data-editor]")) setup(root);
})();
