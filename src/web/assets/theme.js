// Loaded in <head> before the page paints: applies the theme a member picked (light or dark) on this
// browser; without a choice, the stylesheet follows the system's colour scheme. Also wires the
// footer's toggle, which stays hidden without JavaScript.
(() => {
  const KEY = "cs-theme";
  const root = document.documentElement;
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === "light" || saved === "dark") root.dataset.theme = saved;
  } catch {
    // Storage can be disabled; the system's scheme applies.
  }
  const isDark = () =>
    (root.dataset.theme || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light")) === "dark";
  document.addEventListener("DOMContentLoaded", () => {
    const toggle = document.querySelector("[data-theme-toggle]");
    if (!toggle) return;
    toggle.hidden = false;
    toggle.setAttribute("aria-pressed", String(isDark()));
    toggle.addEventListener("click", () => {
      const next = isDark() ? "light" : "dark";
      root.dataset.theme = next;
      toggle.setAttribute("aria-pressed", String(next === "dark"));
      try {
        localStorage.setItem(KEY, next);
      } catch {
        // Kept for this page only.
      }
    });
  });
})();
