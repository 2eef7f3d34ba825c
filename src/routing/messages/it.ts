import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const it: Translation<typeof en> = {
  "routing.title": "Domande per te",
  "routing.listTitle": "Domande",
  "routing.lead": "Domande a cui probabilmente risponderai bene, scelte in base alle tue risposte precedenti.",
  "routing.byline": "Chiesta da {name}, inviata a te {time}",
  "routing.empty": "Nessuna domanda per te al momento.",
  "routing.optedOutNotice": "Hai scelto di non ricevere domande: non te ne vengono inviate.",
  "routing.optOutHint": "Troppe? Puoi smettere di ricevere domande in qualsiasi momento.",
  "routing.optInHint": "Ricevi di nuovo domande adatte alle tue competenze.",
  "routing.optOut": "Non inviarmi più domande",
  "routing.optIn": "Inviami di nuovo domande",
  "routing.settings": "Invio agli esperti",
  "routing.experts": "Esperti per domanda",
  "routing.expertsHint": "Una nuova domanda viene proposta a questo numero di esperti alla volta.",
  "routing.rerouteAfter": "Proponi ai prossimi esperti dopo (minuti)",
  "routing.rerouteAfterHint": "Se nessuno di loro ha risposto entro questo tempo.",
  "routing.maxOpen": "Domande aperte per esperto",
  "routing.maxOpenHint": "Chi ha questo numero di domande ricevute senza risposta non ne riceve altre.",

  "list.questionsForYou": "Domande per te",
};
