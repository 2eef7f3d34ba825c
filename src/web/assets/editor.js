// The post editor's enhancements (web/editor.ts): Write/Preview tabs, a formatting toolbar,
// images uploaded by pasting, dropping or picking, and a draft kept in this browser.
// Without this script the form still posts, previews and uploads through the server.
(() => {
  const DRAFTS = "cs-draft:";
  const SUBMITTED = "cs-draft-submitted";

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
    // and dropped once the post went through (the next page shows no error for this form).
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
    const save = () => {
      if (textarea.value.trim() || title?.value.trim())
        storage.setItem(key, JSON.stringify({ body: textarea.value, title: title?.value || "", base }));
      else storage.removeItem(key);
    };
    textarea.addEventListener("input", save);
    title?.addEventListener("input", save);
    form.addEventListener("submit", () => sessionStorage.setItem(SUBMITTED, key));
  }

  // A post sent from an editor went through unless this page shows that form again with errors.
  try {
    const submitted = sessionStorage.getItem(SUBMITTED);
    sessionStorage.removeItem(SUBMITTED);
    const refused = [...document.querySelectorAll("[data-editor]")].some(
      (root) =>
        DRAFTS + root.dataset.draft === submitted &&
        (root.closest("form")?.querySelector("[aria-invalid=true]") || document.querySelector(".form-alert")),
    );
    if (submitted && !refused) localStorage.removeItem(submitted);
  } catch {
    // Storage unavailable (private mode): no drafts.
  }
  for (const root of document.querySelectorAll("[data-editor]")) setup(root);
})();
