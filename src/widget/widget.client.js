/*
 * The Crowdservice widget: a search box with the community's answers as you type, and an "Ask the
 * community" link carrying what was typed to the new-topic form. Served as /c/:slug/widget.js with
 * the community's configuration in place of the placeholder at the end (widget.script.ts), and
 * placed just before its own <script> tag. Built in a shadow root, so the host page's CSS cannot reach it.
 * - Language: the tag's data-lang, else the nearest lang attribute, else the community's language.
 * - Calls only the community's public search and deflection events, without cookies; the host
 *   page's origin must be one of the community's allowed origins (CORS).
 * - Reports search_shown and result_opened with the search's signed token, like the site does; the
 *   visit id is random, kept in the host page's sessionStorage, and handed to the new-topic form.
 */
((config) => {
  var script = document.currentScript;
  if (!script?.parentNode) return;
  var DEBOUNCE_MS = 300;
  var base = new URL(script.src).origin;
  var home = `${base}/c/${encodeURIComponent(config.slug)}`;
  var api = `${base}/api/v1/communities/${encodeURIComponent(config.slug)}`;
  var wanted = script.getAttribute("data-lang") || script.closest("[lang]")?.getAttribute("lang") || "";
  var lang = config.messages[wanted.slice(0, 2).toLowerCase()] ? wanted.slice(0, 2).toLowerCase() : config.locale;
  var text = config.messages[lang];
  var visit = null;

  function visitId() {
    if (visit) return visit;
    try {
      visit = window.sessionStorage.getItem("crowdservice-visit");
    } catch (_e) {
      visit = null;
    }
    if (!visit || !/^[A-Za-z0-9_-]{8,64}$/.test(visit)) {
      const bytes = window.crypto.getRandomValues(new Uint8Array(16));
      visit = Array.prototype.map.call(bytes, (b) => `0${b.toString(16)}`.slice(-2)).join("");
      try {
        window.sessionStorage.setItem("crowdservice-visit", visit);
      } catch (_e) {
        /* private mode: the id lives as long as the page */
      }
    }
    return visit;
  }

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach((name) => {
      node.setAttribute(name, props[name]);
    });
    (children || []).forEach((child) => {
      node.append(child);
    });
    return node;
  }

  // Its texts' language, for screen readers and hyphenation: it may differ from the host page's.
  var host = el("div", { class: "crowdservice-widget", lang: lang });
  script.parentNode.insertBefore(host, script);
  var root = host.attachShadow({ mode: "open" });
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(
    ":host{all:initial;display:block;max-width:36rem;font:16px/1.45 system-ui,sans-serif;color:#1f2933}" +
      "*{box-sizing:border-box}label{display:block;font-weight:600;margin:0 0 .25rem}" +
      "input{width:100%;font:inherit;color:inherit;background:#fff;padding:.5rem .75rem;" +
      "border:1px solid #7b8794;border-radius:.375rem}" +
      "input:focus,a:focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}" +
      "ul{list-style:none;margin:.25rem 0;padding:0}li{padding:.375rem 0;border-bottom:1px solid #e4e7eb}" +
      "a{color:#1d4ed8}.badge{font-size:.75rem;margin-left:.5rem;padding:0 .375rem;border-radius:.25rem;" +
      "background:#e3f9e5;color:#0e5814}.snippet{display:block;font-size:.875rem;color:#52606d}" +
      ".status{font-size:.875rem;color:#52606d;margin:.25rem 0;min-height:1.2em}.ask{font-weight:600}",
  );
  root.adoptedStyleSheets = [sheet];

  var input = el("input", {
    id: "q",
    type: "search",
    autocomplete: "off",
    "aria-describedby": "status",
    "aria-controls": "results",
  });
  var status = el("p", { id: "status", class: "status", role: "status", "aria-live": "polite" });
  var list = el("ul", { id: "results", "aria-label": text.results });
  var ask = el("a", { class: "ask", href: `${home}/new`, target: "_blank", rel: "noopener" }, [text.ask]);
  var form = el("form", { role: "search" }, [el("label", { for: "q" }, [text.label]), input, status, list, ask]);
  root.append(form);

  var shown = { query: "", token: null };
  var timer = null;
  var controller = null;

  function report(event) {
    if (!shown.token) return;
    event.visitId = visitId();
    event.token = shown.token;
    fetch(`${api}/deflection-events`, {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      keepalive: true,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(event),
    }).catch(() => {});
  }

  // A snippet is escaped text with <mark> around the matches (search.text.ts), read here without an
  // HTML parser: a host page enforcing Trusted Types refuses DOMParser a plain string.
  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };
  function plainText(snippetHtml) {
    return (snippetHtml || "")
      .replace(/<\/?mark>/g, "")
      .replace(/&(amp|lt|gt|quot|#39);/g, (_m, name) => ENTITIES[name]);
  }

  function resultItem(result) {
    var isArticle = result.type === "article" && result.article;
    var target = isArticle ? result.article : result.topic;
    if (!target || typeof target.url !== "string" || target.url.charAt(0) !== "/") return null;
    var link = el("a", { href: base + target.url, target: "_blank", rel: "noopener" }, [target.title]);
    var opened = () => {
      report({
        type: "result_opened",
        topicId: isArticle ? undefined : target.id,
        articleId: isArticle ? target.id : undefined,
      });
    };
    link.addEventListener("click", opened);
    // A middle click opens the answer in a new tab too, but browsers send it no click event.
    link.addEventListener("auxclick", (e) => {
      if (e.button === 1) opened();
    });
    var badge = isArticle ? text.article : result.topic.status === "solved" ? text.solved : "";
    return el("li", {}, [
      link,
      badge ? el("span", { class: "badge" }, [badge]) : "",
      el("span", { class: "snippet" }, [plainText(result.snippet)]),
    ]);
  }

  function render(query, body) {
    var items = (body.results || []).map(resultItem).filter(Boolean);
    list.replaceChildren(...items);
    var one = new Intl.PluralRules(lang).select(items.length) === "one";
    status.textContent = items.length
      ? text[one ? "found.one" : "found.other"].replace("{count}", String(items.length))
      : text.none;
    shown = { query: query, token: body.deflectionToken };
    if (items.length) report({ type: "search_shown" });
  }

  // What was typed, as one line cut to the longest title: the search and "Ask the community" carry
  // the same text, and a pasted log cannot make either address longer than the server takes.
  function typed() {
    var line = input.value.replace(/\s+/g, " ").trim();
    var cut = line.slice(0, config.titleMax);
    return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
  }

  function search() {
    var query = typed();
    ask.href = `${home}/new?title=${encodeURIComponent(query)}&visit=${visitId()}`;
    // A search under way is for another text: cancelled even when this one's answers are already shown.
    if (controller) controller.abort();
    if (query === shown.query) return;
    if (query.length < 2) {
      shown = { query: query, token: null };
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    controller = new AbortController();
    fetch(`${api}/search?limit=5&q=${encodeURIComponent(query)}`, {
      mode: "cors",
      credentials: "omit",
      headers: { accept: "application/json" },
      signal: controller.signal,
    })
      .then((res) => (res.ok ? res.json() : Promise.reject(res.status)))
      .then((body) => render(query, body))
      .catch((error) => {
        if (error?.name === "AbortError") return;
        // Nothing shown any more: going back to the text last shown searches it again.
        shown = { query: null, token: null };
        list.replaceChildren();
        status.textContent = text.failed;
      });
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    search();
  });
  // Arrow keys move between the box and the answers; Escape empties the box.
  form.addEventListener("keydown", (e) => {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(root.activeElement);
    if (e.key === "Escape" && root.activeElement === input) {
      input.value = "";
      search();
    } else if (e.key === "ArrowDown" && links[at + 1]) {
      links[at + 1].focus();
    } else if (e.key === "ArrowUp" && at >= 0) {
      (links[at - 1] || input).focus();
    } else {
      return;
    }
    e.preventDefault();
  });
})(__WIDGET_CONFIG__);
