import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const fr: Translation<typeof en> = {
  "idea.status.new": "Nouvelle",
  "idea.status.under_review": "À l’étude",
  "idea.status.planned": "Prévue",
  "idea.status.in_progress": "En cours",
  "idea.status.done": "Réalisée",
  "idea.status.declined": "Refusée",

  "idea.progress": "Où en est cette idée",
  "idea.noChanges": "Notre équipe n’a pas encore examiné cette idée.",
  "idea.changedBy": "par {name}, {time}",
  "idea.status": "Statut",
  "idea.note": "Note publique",
  "idea.noteHint":
    "Facultative. Affichée à tous avec le changement et envoyée aux personnes qui ont voté pour cette idée ou la " +
    "suivent.",
  "idea.setStatus": "Mettre à jour le statut",
  "idea.toBoard": "Toutes les idées du tableau",
  "idea.topicGone":
    "Cette idée a été fusionnée ou supprimée entre-temps : son statut n’a pas été modifié. Ouvrez-la à nouveau.",

  "idea.board": "Idées",
  "idea.boardTitle": "Idées pour {community}",
  "idea.boardLead": "Ce que les clients proposent et où en est chaque idée auprès de notre équipe.",
  "idea.feed": "Suivre les changements de statut (flux Atom)",
  "idea.feedTitle": "Statut des idées de {community}",
  "idea.filters": "Filtrer les idées",
  "idea.allStatuses": "Tous les statuts",
  "idea.category": "Catégorie",
  "idea.allCategories": "Toutes les catégories",
  "idea.sort": "Ordre",
  "idea.sort.votes": "Plus de votes",
  "idea.sort.recent": "Plus récentes",
  "idea.apply": "Afficher",
  "idea.none": "Aucune idée pour l’instant.",
  "idea.suggest": "Proposer une idée",
  "idea.showAll": "Afficher les {count}",
  "idea.showFirst": "Afficher les {limit} premières sur {count}",
  "idea.pages": "Pages d’idées",
  "idea.range": "Idées {from} à {to} sur {count}",
  "idea.previous": "Idées précédentes",
  "idea.next": "Plus d’idées",

  "notify.idea_status": "{actor} a mis à jour le statut de l’idée « {title} »",
  "notify.kind.idea_status": "Avancement des idées pour lesquelles j’ai voté ou que je suis",
};
