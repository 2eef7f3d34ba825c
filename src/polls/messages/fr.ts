import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const fr: Translation<typeof en> = {
  "poll.title": "Sondage",
  "poll.add": "Ajouter un sondage",
  "poll.addTitle": "Ajouter un sondage à « {title} »",
  "poll.options": "Réponses",
  "poll.optionsHint": "Une réponse par ligne, de 2 à {max}.",
  "poll.multiple": "Plusieurs réponses possibles",
  "poll.closes": "Se termine à (UTC)",
  "poll.closesHint": "Facultatif. Ensuite, plus personne ne vote et tout le monde voit les résultats.",
  "poll.create": "Ajouter le sondage",
  "poll.chooseOne": "Choisissez une réponse",
  "poll.chooseSeveral": "Choisissez une ou plusieurs réponses",
  "poll.vote": "Voter",
  "poll.changeVote": "Changer mon vote",
  "poll.yourChoice": "(votre choix)",
  "poll.votes.one": "{count} vote",
  "poll.votes.other": "{count} votes",
  "poll.voters.one": "{count} membre a voté",
  "poll.voters.other": "{count} membres ont voté",
  "poll.resultsAfterVote": "Les résultats s’affichent une fois que vous avez voté.",
  "poll.loginToVote": "Se connecter pour voter",
  "poll.closesAt": "Se termine {time}.",
  "poll.closedAt": "Terminé {time}.",
  "poll.optionsOnce": "Indiquez chaque réponse une seule fois.",
  "poll.closesPast": "Choisissez une heure de clôture dans le futur.",
};
