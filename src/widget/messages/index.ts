import type { KeysOf } from "../../core/types.ts";
import { defineCatalog } from "../../i18n/i18n.ts";
import { de } from "./de.ts";
import { en } from "./en.ts";
import { fr } from "./fr.ts";
import { it } from "./it.ts";

/** The widget's messages in every language; the composition root installs them. */
export const widgetMessages = defineCatalog({ en, de, fr, it });

/** The keys the script in the host page shows (the settings page's own keys stay on the server). */
export const WIDGET_SCRIPT_KEYS = Object.keys(en).filter((key) => !key.startsWith("widget.settings."));

declare module "../../i18n/i18n.ts" {
  interface Messages extends KeysOf<typeof en> {}
}
