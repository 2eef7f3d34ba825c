import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const it: Translation<typeof en> = {
  "widget.label": "Cerca nella community {community}",
  "widget.results": "Risposte dalla community",
  "widget.found.one": "{count} risposta dalla community",
  "widget.found.other": "{count} risposte dalla community",
  "widget.none": "Ancora nessuna risposta: chiedi alla community.",
  "widget.failed": "La ricerca nella community non è disponibile al momento.",
  "widget.solved": "Risolto",
  "widget.article": "Articolo",
  "widget.ask": "Chiedi alla community",

  "widget.settings.title": "Widget sul tuo sito",
  "widget.settings.intro":
    "Incolla questo tag in una pagina del tuo sito, dove deve comparire la casella di ricerca. Cerca in questa " +
    "community mentre si scrive e propone di chiedere alla community con il testo scritto.",
  "widget.settings.origins": "Origini consentite",
  "widget.settings.originsHint":
    "Una per riga, ad esempio https://help.example.com: solo schema, host e porta. Solo le pagine di queste " +
    "origini possono usare il widget.",
  "widget.settings.notOrigins": "Non è un’origine: {origins}. Scrivi ognuna come https://help.example.com.",
};
