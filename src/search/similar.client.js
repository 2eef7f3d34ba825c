/*
 * Crowdservice search client (progressive enhancement; pages work without it).
 * - [data-similar] boxes (new-topic form): as the title is typed (debounced), fetch similar topics
 *   from data-similar-api and list them; report suggestion_shown / suggestion_opened.
 * - a[data-deflect] links (search results, suggestions): report the open to data-deflect-api.
 * - [data-deflect-shown] (a page of search results): report that it was shown.
 * - Every report echoes the token the server gave the list (data-deflect-token, or the similar
 *   API's X-Deflection-Token header): the server accepts events only with it.
 * - Adds a hidden visitId field to forms holding a suggestions box, so the server can tie
 *   topic_posted to the visit. The visit id is random and lives in sessionStorage only; a page
 *   opened with ?visit= (from the widget on another site) continues that visit.
 */
(() => {
  var MIN_WORDS = 3;
  var MIN_CHARS = 12;
  var DEBOUNCE_MS = 350;
  var visit = null;

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, (b) => `0${b.toString(16)}`.slice(-2)).join("");
  }

  function visitId() {
    if (visit) return visit;
    var valid = (id) => typeof id === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(id);
    // A visit that began on the company's site (the widget's "Ask the community") arrives as ?visit=.
    var given = new URLSearchParams(window.location.search).get("visit");
    try {
      visit = valid(given) ? given : window.sessionStorage.getItem("cs_visit");
      if (!valid(visit)) visit = randomId();
      window.sessionStorage.setItem("cs_visit", visit);
    } catch (_e) {
      visit = valid(given) ? given : randomId();
    }
    return visit;
  }

  function report(api, event, token) {
    if (api?.charAt(0) !== "/" || !token) return;
    event.visitId = visitId();
    event.token = token;
    var body = JSON.stringify(event);
    try {
      if (navigator.sendBeacon?.(api, new Blob([body], { type: "application/json" }))) return;
    } catch (_e) {
      /* fall back to fetch */
    }
    fetch(api, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body,
      keepalive: true,
      credentials: "same-origin",
    }).catch(() => {});
  }

  function idOf(value) {
    var n = Number(value);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  }

  document.addEventListener("click", (e) => {
    var link = e.target?.closest ? e.target.closest("a[data-deflect]") : null;
    if (!link) return;
    report(
      link.getAttribute("data-deflect-api"),
      {
        type: link.getAttribute("data-deflect"),
        topicId: idOf(link.getAttribute("data-topic-id")),
        articleId: idOf(link.getAttribute("data-article-id")),
      },
      link.getAttribute("data-deflect-token"),
    );
  });

  function setup(box) {
    var form = box.closest("form");
    var scope = form || document;
    var title = scope.querySelector("[name=title]");
    var body = scope.querySelector("[name=body]");
    if (!title) return;
    var api = box.getAttribute("data-similar-api");
    var deflectApi = box.getAttribute("data-deflect-api");
    var labels = {};
    try {
      labels = JSON.parse(box.getAttribute("data-labels") || "{}");
    } catch (_e) {
      labels = {};
    }
    if (form && !form.querySelector("input[name=visitId]")) {
      const hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "visitId";
      hidden.value = visitId();
      form.appendChild(hidden);
    }
    var timer = null;
    var lastKey = "";
    var shownKey = "";
    var controller = null;

    var token = null;

    function render(items) {
      box.textContent = "";
      if (!items.length) return;
      var section = document.createElement("section");
      section.className = "card";
      section.setAttribute("aria-labelledby", "similar-title");
      var h = document.createElement("h2");
      h.id = "similar-title";
      h.textContent = labels.heading || "Similar questions";
      var p = document.createElement("p");
      p.textContent = labels.intro || "";
      var list = document.createElement("ol");
      items.forEach((item) => {
        var isArticle = item.type === "article" && item.article;
        var target = isArticle ? item.article : item.topic;
        if (!target || typeof target.url !== "string" || target.url.charAt(0) !== "/") return;
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = target.url;
        a.textContent = target.title;
        a.setAttribute("data-deflect", "suggestion_opened");
        a.setAttribute("data-deflect-api", deflectApi);
        if (token) a.setAttribute("data-deflect-token", token);
        a.setAttribute(isArticle ? "data-article-id" : "data-topic-id", String(target.id));
        var tag = document.createElement("span");
        var status = isArticle ? "article" : item.topic.status;
        tag.className =
          "badge " +
          (status === "solved"
            ? "success"
            : status === "article"
              ? "accent"
              : status === "answered"
                ? "info"
                : "neutral");
        tag.textContent = labels[status] || status;
        li.appendChild(a);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(tag);
        list.appendChild(li);
      });
      section.appendChild(h);
      if (p.textContent) section.appendChild(p);
      section.appendChild(list);
      box.appendChild(section);
      var key = items.map((i) => i.type + (i.article ? i.article.id : i.topic.id)).join(",");
      if (key !== shownKey) {
        shownKey = key;
        report(deflectApi, { type: "suggestion_shown" }, token);
      }
    }

    function update() {
      var text = title.value.trim();
      var words = text.split(/\s+/).filter(Boolean).length;
      if (words < MIN_WORDS && text.length < MIN_CHARS) {
        lastKey = "";
        render([]);
        return;
      }
      var extra = body ? body.value.trim().slice(0, 500) : "";
      var key = `${text}\n${extra}`;
      if (key === lastKey) return;
      lastKey = key;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var url = `${api}?limit=5&title=${encodeURIComponent(text)}${extra ? `&body=${encodeURIComponent(extra)}` : ""}`;
      fetch(url, {
        credentials: "same-origin",
        headers: { accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then((res) => {
          token = res.headers.get("x-deflection-token");
          return res.ok ? res.json() : [];
        })
        .then((items) => {
          render(Array.isArray(items) ? items : []);
        })
        .catch(() => {
          /* aborted or offline: keep what is shown */
        });
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(update, DEBOUNCE_MS);
    }
    title.addEventListener("input", schedule);
    if (body) body.addEventListener("change", schedule);
    if (title.value.trim()) schedule();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-similar]"), setup);
    Array.prototype.forEach.call(document.querySelectorAll("[data-deflect-shown]"), (shown) => {
      report(
        shown.getAttribute("data-deflect-api"),
        { type: shown.getAttribute("data-deflect-shown") },
        shown.getAttribute("data-deflect-token"),
      );
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
