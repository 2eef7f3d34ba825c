import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const it: Translation<typeof en> = {
  "poll.title": "Sondaggio",
  "poll.add": "Aggiungi un sondaggio",
  "poll.addTitle": "Aggiungi un sondaggio a «{title}»",
  "poll.options": "Risposte",
  "poll.optionsHint": "Una risposta per riga, da 2 a {max}.",
  "poll.multiple": "Sono ammesse più risposte",
  "poll.closes": "Si chiude alle (UTC)",
  "poll.closesHint": "Facoltativo. Dopo nessuno vota più e tutti vedono i risultati.",
  "poll.create": "Aggiungi il sondaggio",
  "poll.chooseOne": "Scegli una risposta",
  "poll.chooseSeveral": "Scegli una o più risposte",
  "poll.vote": "Vota",
  "poll.changeVote": "Cambia il mio voto",
  "poll.yourChoice": "(la tua scelta)",
  "poll.votes.one": "{count} voto",
  "poll.votes.other": "{count} voti",
  "poll.voters.one": "{count} membro ha votato",
  "poll.voters.other": "{count} membri hanno votato",
  "poll.resultsAfterVote": "I risultati appaiono dopo il tuo voto.",
  "poll.loginToVote": "Accedi per votare",
  "poll.closesAt": "Si chiude {time}.",
  "poll.closedAt": "Chiuso {time}.",
  "poll.optionsOnce": "Indica ogni risposta una sola volta.",
  "poll.closesPast": "Scegli un orario di chiusura nel futuro.",
};
