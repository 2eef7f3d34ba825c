import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const fr: Translation<typeof en> = {
  "routing.title": "Questions pour vous",
  "routing.listTitle": "Questions",
  "routing.lead": "Des questions auxquelles vous répondrez probablement bien, choisies d’après vos réponses passées.",
  "routing.byline": "Posée par {name}, envoyée {time}",
  "routing.empty": "Pas de question pour vous en ce moment.",
  "routing.optedOutNotice": "Vous vous êtes désinscrit : aucune question ne vous est envoyée.",
  "routing.optOutHint": "Trop de questions ? Vous pouvez arrêter d’en recevoir à tout moment.",
  "routing.optInHint": "Recevoir de nouveau des questions adaptées à vos connaissances.",
  "routing.optOut": "Ne plus m’envoyer de questions",
  "routing.optIn": "M’envoyer de nouveau des questions",
  "routing.settings": "Envoi aux experts",
  "routing.experts": "Experts par question",
  "routing.expertsHint": "Une nouvelle question est proposée à ce nombre d’experts à la fois.",
  "routing.rerouteAfter": "Proposer aux experts suivants après (minutes)",
  "routing.rerouteAfterHint": "Si aucun n’a répondu dans ce délai.",
  "routing.maxOpen": "Questions ouvertes par expert",
  "routing.maxOpenHint": "Un expert qui a ce nombre de questions reçues sans réponse n’en reçoit plus.",

  "list.questionsForYou": "Questions pour vous",
};
