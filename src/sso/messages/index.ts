import type { KeysOf } from "../../core/types.ts";
import { defineCatalog } from "../../i18n/i18n.ts";
import { de } from "./de.ts";
import { en } from "./en.ts";
import { fr } from "./fr.ts";
import { it } from "./it.ts";

/** The single sign-on domain's messages in every language; the composition root installs them. */
export const ssoMessages = defineCatalog({ en, de, fr, it });

declare module "../../i18n/i18n.ts" {
  interface Messages extends KeysOf<typeof en> {}
}
