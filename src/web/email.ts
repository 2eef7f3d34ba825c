import { html, type Html } from "./html.ts";
import type { Locale } from "../i18n/i18n.ts";

/**
 * The HTML document of an email in the reader's language: the `lang` lets a mail client's screen
 * reader speak it with the right voice. Inline styles only: mail clients drop style sheets.
 */
export function emailDocument(locale: Locale, body: Html): string {
  return html`<!doctype html><html lang="${locale}"><body
    style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937;max-width:36rem">
${body}
</body></html>`.value;
}
