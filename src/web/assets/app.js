// Progressive enhancement: votes and "me too" go to the JSON API without reloading the page.
// Every form works without this script; on any failure the form is submitted normally.
(() => {
  async function send(method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body || {}),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  async function vote(form, button) {
    const result = await send("PUT", form.dataset.api, { value: Number(button.value) });
    for (const arrow of form.querySelectorAll("button[data-dir]")) {
      const dir = Number(arrow.dataset.dir);
      arrow.setAttribute("aria-pressed", String(result.value === dir));
      arrow.value = String(result.value === dir ? 0 : dir);
    }
    form.querySelector("[data-score]").textContent = String(result.score);
  }

  async function follow(form, button) {
    const on = button.getAttribute("aria-pressed") !== "true";
    const result = await send(on ? "PUT" : "DELETE", form.dataset.api);
    button.setAttribute("aria-pressed", String(result.following));
    form.action = result.following ? form.dataset.unfollow : form.dataset.follow;
    form.querySelector("[data-count]").textContent = String(result.followers);
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.plain) return;
    const action = "vote" in form.dataset ? vote : "follow" in form.dataset ? follow : null;
    const button = event.submitter || form.querySelector("button");
    if (!action || !button) return;
    event.preventDefault();
    const buttons = form.querySelectorAll("button");
    for (const b of buttons) b.disabled = true;
    try {
      await action(form, button);
    } catch {
      form.dataset.plain = "1";
      for (const b of buttons) b.disabled = false;
      form.requestSubmit(button);
      return;
    }
    for (const b of buttons) b.disabled = false;
    button.focus();
  });

  // Header menus (the bell, the member's menu) are details elements: they open and close without
  // this script. With it, Escape closes the open one and gives focus back to its summary, a click or
  // focus outside closes it, and opening one closes the other.
  const menus = () => document.querySelectorAll("details[data-menu], details.user-menu");
  const closeMenus = (except) => {
    for (const menu of menus()) if (menu !== except && menu.open) menu.open = false;
  };
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const menu of menus()) {
      if (!menu.open) continue;
      menu.open = false;
      menu.querySelector("summary").focus();
      event.preventDefault();
    }
  });
  document.addEventListener("click", (event) => {
    const inside = event.target instanceof Element && event.target.closest("details[data-menu], details.user-menu");
    closeMenus(inside);
  });
  document.addEventListener("focusin", (event) => {
    const inside = event.target instanceof Element && event.target.closest("details[data-menu], details.user-menu");
    closeMenus(inside);
  });

  // Live updates over Server-Sent Events: the bell counts new notifications, and an open topic
  // swaps in the server-rendered replies when someone answers, votes or accepts a solution.
  const bell = document.querySelector("[data-bell]");
  const topicSection = document.querySelector("[data-live-topic]");
  if ((bell || topicSection) && "EventSource" in window) {
    const url = `/api/v1/events${topicSection ? `?topic=${encodeURIComponent(topicSection.dataset.liveTopic)}` : ""}`;
    const source = new EventSource(url);
    source.addEventListener("ready", () => (document.documentElement.dataset.live = "connected"));

    if (bell) {
      source.addEventListener("notification", () => {
        const count = bell.querySelector("[data-unread]");
        const next = Number(count.textContent || "0") + 1;
        count.textContent = String(next);
        count.hidden = false;
        bell.setAttribute("aria-label", bell.getAttribute("aria-label").replace(/\d+/, String(next)));
      });
    }

    if (topicSection) {
      const status = document.querySelector("[data-live-status]");
      let timer = null;
      const busy = () => {
        const active = document.activeElement;
        return (
          active &&
          topicSection.contains(active) &&
          (active.tagName === "TEXTAREA" || active.tagName === "INPUT") &&
          active.value
        );
      };
      const refresh = async () => {
        // Never throw away what someone is typing in a comment box: tell them instead.
        if (busy()) {
          status.textContent = status.dataset.pending;
          return;
        }
        const response = await fetch(location.pathname, {
          credentials: "same-origin",
          headers: { accept: "text/html" },
        });
        if (!response.ok) return;
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        for (const selector of ["article.post.topic", "[data-live-topic]"]) {
          const current = document.querySelector(selector);
          const replacement = fresh.querySelector(selector);
          if (current && replacement) current.replaceWith(replacement);
        }
        status.textContent = status.dataset.updated;
        document.documentElement.dataset.liveUpdates = String(
          Number(document.documentElement.dataset.liveUpdates || 0) + 1,
        );
      };
      for (const type of ["reply", "comment", "vote", "accepted"]) {
        source.addEventListener(type, () => {
          clearTimeout(timer);
          timer = setTimeout(refresh, 250);
        });
      }
    }
  }
})();
