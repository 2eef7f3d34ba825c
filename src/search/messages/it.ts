import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const it: Translation<typeof en> = {
  "search.title": "Cerca",
  "search.heading": "Cerca in {community}",
  "search.label": "Cerca domande, risposte e articoli",
  "search.submit": "Cerca",
  "search.filters": "Restringi i risultati",
  "search.intro": "Scrivi almeno due lettere o cifre.",
  "search.results": "Risultati per «{q}»",
  "search.none": "Nessun risultato per «{q}». Prova altre parole, meno filtri, oppure chiedi alla community.",
  "search.someWords": "Nessun risultato contiene tutte le parole; questi ne contengono alcune.",
  "search.more": "Altri risultati",
  "search.ask": "Chiedi alla community",
  "search.article": "Articolo",
  "search.duplicate": "Duplicato",
  "search.box": "Cerca in questa community",

  "similar.heading": "Domande simili",
  "similar.intro": "Forse rispondono già alla tua domanda:",
  "similar.loading": "Cerco domande simili…",

  "duplicate.banner.title": "Questa domanda è già stata posta",
  "duplicate.banner.text": "È un duplicato di {link}. Risposte e aggiornamenti sono raccolti lì.",
  "duplicate.originalHidden": "Scegli un originale che possa leggere chiunque legga questo argomento.",

  "kb.title": "Base di conoscenza",
  "kb.intro": "Risposte selezionate dal team.",
  "kb.empty": "Ancora nessun articolo.",
  "kb.new": "Scrivi un articolo",
  "kb.promote": "Trasforma questo argomento risolto in un articolo della knowledge base",
  "kb.edit": "Modifica articolo",
  "kb.more": "Altri articoli",
  "kb.field.title": "Titolo",
  "kb.field.body": "Articolo",
  "kb.field.category": "Categoria",
  "kb.field.source": "Promuovi un argomento risolto (il suo numero)",
  "kb.field.sourceHint": "Lascia vuoti titolo e articolo per partire dalla domanda e dalla risposta accettata.",
  "kb.noCategory": "Nessuna categoria",
  "kb.submit": "Pubblica articolo",
  "kb.fromTopic": "Basato sull’argomento risolto {link}.",
  "kb.updated": "Aggiornato {time}",
  "kb.staffOnly": "Solo il team può scrivere articoli della base di conoscenza.",
  "kb.notSolved": "Si può promuovere solo un argomento risolto di questa community.",
  "kb.unknownCategory": "Scegli una categoria di questa community.",
  "kb.wouldReveal":
    "Questa categoria mostrerebbe l’argomento a chi non può vederlo: scegline una chiusa quanto quella dell’argomento.",
};
