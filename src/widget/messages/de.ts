import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const de: Translation<typeof en> = {
  "widget.label": "Die Community {community} durchsuchen",
  "widget.results": "Antworten aus der Community",
  "widget.found.one": "{count} Antwort aus der Community",
  "widget.found.other": "{count} Antworten aus der Community",
  "widget.none": "Noch keine Antworten: Frag die Community.",
  "widget.failed": "Die Community-Suche ist gerade nicht verfügbar.",
  "widget.solved": "Gelöst",
  "widget.article": "Artikel",
  "widget.ask": "Die Community fragen",

  "widget.settings.title": "Widget auf der eigenen Website",
  "widget.settings.intro":
    "Füge dieses Tag in eine Seite deiner Website ein, wo das Suchfeld erscheinen soll. Es durchsucht diese " +
    "Community während der Eingabe und bietet an, die Community mit dem Eingegebenen zu fragen.",
  "widget.settings.origins": "Erlaubte Origins",
  "widget.settings.originsHint":
    "Eine pro Zeile, etwa https://help.example.com: nur Schema, Host und Port. Nur Seiten dieser Origins " +
    "können das Widget verwenden.",
  "widget.settings.notOrigins": "Keine Origin: {origins}. Schreibe jede wie https://help.example.com.",
};
