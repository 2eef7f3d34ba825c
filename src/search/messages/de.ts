import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const de: Translation<typeof en> = {
  "search.title": "Suche",
  "search.heading": "{community} durchsuchen",
  "search.label": "Fragen, Antworten und Artikel durchsuchen",
  "search.submit": "Suchen",
  "search.filters": "Ergebnisse eingrenzen",
  "search.intro": "Gib mindestens zwei Buchstaben oder Ziffern ein.",
  "search.results": "Ergebnisse für „{q}“",
  "search.none": "Nichts gefunden für „{q}“. Versuche andere Wörter, weniger Filter, oder frag die Community.",
  "search.someWords": "Kein Ergebnis enthält alle Wörter; diese enthalten einige davon.",
  "search.more": "Weitere Ergebnisse",
  "search.ask": "Die Community fragen",
  "search.article": "Artikel",
  "search.duplicate": "Duplikat",
  "search.box": "Diese Community durchsuchen",

  "similar.heading": "Ähnliche Fragen",
  "similar.intro": "Vielleicht beantworten diese schon deine Frage:",
  "similar.loading": "Suche nach ähnlichen Fragen…",

  "duplicate.banner.title": "Diese Frage wurde schon einmal gestellt",
  "duplicate.banner.text": "Sie ist ein Duplikat von {link}. Antworten und Neuigkeiten sammeln sich dort.",
  "duplicate.originalHidden": "Wähle ein Original, das alle lesen dürfen, die dieses Thema lesen.",

  "kb.title": "Wissensdatenbank",
  "kb.intro": "Vom Team zusammengestellte Antworten.",
  "kb.empty": "Noch keine Artikel.",
  "kb.new": "Artikel schreiben",
  "kb.promote": "Dieses gelöste Thema als Wissensartikel übernehmen",
  "kb.edit": "Artikel bearbeiten",
  "kb.more": "Weitere Artikel",
  "kb.field.title": "Titel",
  "kb.field.body": "Artikel",
  "kb.field.category": "Kategorie",
  "kb.field.source": "Gelöstes Thema übernehmen (seine Nummer)",
  "kb.field.sourceHint": "Titel und Artikel leer lassen, um mit der Frage und der akzeptierten Antwort zu beginnen.",
  "kb.noCategory": "Keine Kategorie",
  "kb.submit": "Artikel veröffentlichen",
  "kb.fromTopic": "Beruht auf dem gelösten Thema {link}.",
  "kb.updated": "Aktualisiert {time}",
  "kb.staffOnly": "Nur das Team kann Artikel der Wissensdatenbank schreiben.",
  "kb.notSolved": "Nur ein gelöstes Thema dieser Community kann übernommen werden.",
  "kb.unknownCategory": "Wähle eine Kategorie dieser Community.",
  "kb.wouldReveal":
    "Diese Kategorie würde das Thema Lesern zeigen, die es nicht sehen dürfen: Wähle eine so geschlossene wie seine.",
};
