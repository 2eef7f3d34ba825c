import { defineCatalog } from "../../i18n/i18n.js";
import { de } from "./de.js";
import { en } from "./en.js";
import { fr } from "./fr.js";
import { it } from "./it.js";
/** The routing domain's messages in every language; the composition root installs them. */
export const routingMessages = defineCatalog({ en, de, fr, it });
