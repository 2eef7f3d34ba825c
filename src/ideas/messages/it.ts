import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const it: Translation<typeof en> = {
  "idea.status.new": "Nuova",
  "idea.status.under_review": "In esame",
  "idea.status.planned": "Pianificata",
  "idea.status.in_progress": "In corso",
  "idea.status.done": "Realizzata",
  "idea.status.declined": "Respinta",

  "idea.progress": "A che punto è questa idea",
  "idea.noChanges": "Il nostro team non ha ancora esaminato questa idea.",
  "idea.changedBy": "da {name}, {time}",
  "idea.status": "Stato",
  "idea.note": "Nota pubblica",
  "idea.noteHint":
    "Facoltativa. Mostrata a tutti con la modifica e inviata a chi ha votato per questa idea o la segue.",
  "idea.setStatus": "Aggiorna lo stato",
  "idea.toBoard": "Tutte le idee nella bacheca",
  "idea.topicGone":
    "Questa idea è stata unita o rimossa nel frattempo: il suo stato non è stato cambiato. Aprila di nuovo.",

  "idea.board": "Idee",
  "idea.boardTitle": "Idee per {community}",
  "idea.boardLead": "Cosa propongono i clienti e a che punto è ogni idea con il nostro team.",
  "idea.feed": "Segui i cambi di stato (feed Atom)",
  "idea.feedTitle": "Stato delle idee di {community}",
  "idea.filters": "Filtra le idee",
  "idea.allStatuses": "Tutti gli stati",
  "idea.category": "Categoria",
  "idea.allCategories": "Tutte le categorie",
  "idea.sort": "Ordine",
  "idea.sort.votes": "Più voti",
  "idea.sort.recent": "Più recenti",
  "idea.apply": "Mostra",
  "idea.none": "Ancora nessuna idea.",
  "idea.suggest": "Proponi un’idea",
  "idea.showAll": "Mostra tutte le {count}",
  "idea.showFirst": "Mostra le prime {limit} di {count}",
  "idea.pages": "Pagine di idee",
  "idea.range": "Idee da {from} a {to} di {count}",
  "idea.previous": "Idee precedenti",
  "idea.next": "Altre idee",

  "notify.idea_status": "{actor} ha aggiornato lo stato dell’idea «{title}»",
  "notify.kind.idea_status": "Avanzamento delle idee che ho votato o che seguo",
};
