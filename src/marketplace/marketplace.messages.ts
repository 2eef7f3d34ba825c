import { en } from "./messages/en.ts";
import { de } from "./messages/de.ts";
import { fr } from "./messages/fr.ts";
import { it } from "./messages/it.ts";

/** Messages of the marketplace and the academy, merged into the catalogs by src/i18n/i18n.ts (one file per language). */
export const marketplaceMessages = { en, de, fr, it };
