import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const de: Translation<typeof en> = {
  "poll.title": "Umfrage",
  "poll.add": "Umfrage hinzufügen",
  "poll.addTitle": "Umfrage zu „{title}“ hinzufügen",
  "poll.options": "Antworten",
  "poll.optionsHint": "Eine Antwort pro Zeile, 2 bis {max}.",
  "poll.multiple": "Mehrere Antworten erlaubt",
  "poll.closes": "Endet um (UTC)",
  "poll.closesHint": "Freiwillig. Danach stimmt niemand mehr ab, und alle sehen das Ergebnis.",
  "poll.create": "Umfrage hinzufügen",
  "poll.chooseOne": "Eine Antwort wählen",
  "poll.chooseSeveral": "Eine oder mehrere Antworten wählen",
  "poll.vote": "Abstimmen",
  "poll.changeVote": "Meine Stimme ändern",
  "poll.yourChoice": "(deine Wahl)",
  "poll.votes.one": "{count} Stimme",
  "poll.votes.other": "{count} Stimmen",
  "poll.voters.one": "{count} Mitglied hat abgestimmt",
  "poll.voters.other": "{count} Mitglieder haben abgestimmt",
  "poll.resultsAfterVote": "Das Ergebnis siehst du, sobald du abgestimmt hast.",
  "poll.loginToVote": "Zum Abstimmen anmelden",
  "poll.closesAt": "Endet {time}.",
  "poll.closedAt": "Beendet {time}.",
  "poll.optionsOnce": "Gib jede Antwort nur einmal an.",
  "poll.closesPast": "Wähle einen Zeitpunkt in der Zukunft.",
};
