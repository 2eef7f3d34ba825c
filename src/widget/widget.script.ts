import fs from "node:fs";
import { LIMITS } from "../core/config.ts";
import type { Community } from "../db/schema.ts";
import { LOCALES, translator, type MessageKey } from "../i18n/i18n.ts";
import { WIDGET_SCRIPT_KEYS } from "./messages/index.ts";

/** The client, read once, without its opening comment (host pages need not download it). */
const CLIENT = fs
  .readFileSync(new URL("./widget.client.js", import.meta.url), "utf8")
  .replace(/^\/\*[\s\S]*?\*\/\s*/, "");
/** Where the configuration goes: the client's last line is `})(__WIDGET_CONFIG__);`. */
const PLACEHOLDER = "__WIDGET_CONFIG__";

/** Where a community's widget is served: the one tag a host page needs is `<script src=... async>`. */
export const widgetScriptPath = (slug: string) => `/c/${slug}/widget.js`;

/**
 * The widget's script for one community: its slug and language, and its texts in every language
 * (the host page's language picks one), with the community's name filled in.
 */
export function widgetScript(community: Pick<Community, "slug" | "name" | "locale">): string {
  const messages = Object.fromEntries(
    LOCALES.map((locale) => {
      const t = translator(locale);
      const texts = WIDGET_SCRIPT_KEYS.map((key) => [
        key.slice("widget.".length),
        t(key as MessageKey, { community: community.name }),
      ]);
      return [locale, Object.fromEntries(texts)];
    }),
  );
  // The client cuts what was typed to the longest title before searching or asking with it.
  const config = JSON.stringify({
    slug: community.slug,
    locale: community.locale,
    titleMax: LIMITS.titleMax,
    messages,
  });
  return CLIENT.replace(PLACEHOLDER, () => config);
}
