import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const de: Translation<typeof en> = {
  "routing.title": "Fragen für dich",
  "routing.listTitle": "Fragen",
  "routing.lead": "Fragen, die du wahrscheinlich gut beantworten kannst, ausgewählt nach deinen bisherigen Antworten.",
  "routing.byline": "Gefragt von {name}, an dich gesendet {time}",
  "routing.empty": "Gerade keine Fragen für dich.",
  "routing.optedOutNotice": "Du hast dich abgemeldet: Dir werden keine Fragen gesendet.",
  "routing.optOutHint": "Zu viele? Du kannst den Empfang von Fragen jederzeit beenden.",
  "routing.optInHint": "Wieder Fragen erhalten, die zu deinem Wissen passen.",
  "routing.optOut": "Keine Fragen mehr senden",
  "routing.optIn": "Wieder Fragen senden",
  "routing.settings": "Weiterleitung an Fachleute",
  "routing.experts": "Fachleute pro Frage",
  "routing.expertsHint": "Eine neue Frage geht gleichzeitig an so viele Fachleute.",
  "routing.rerouteAfter": "An die nächsten Fachleute nach (Minuten)",
  "routing.rerouteAfterHint": "Wenn keine von ihnen in dieser Zeit geantwortet hat.",
  "routing.maxOpen": "Offene Fragen pro Fachperson",
  "routing.maxOpenHint": "Wer so viele unbeantwortete weitergeleitete Fragen hat, bekommt keine weiteren.",

  "list.questionsForYou": "Fragen für dich",
};
