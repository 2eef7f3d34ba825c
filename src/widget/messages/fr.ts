import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const fr: Translation<typeof en> = {
  "widget.label": "Rechercher dans la communauté {community}",
  "widget.results": "Réponses de la communauté",
  "widget.found.one": "{count} réponse de la communauté",
  "widget.found.other": "{count} réponses de la communauté",
  "widget.none": "Pas encore de réponse : posez la question à la communauté.",
  "widget.failed": "La recherche de la communauté n’est pas disponible pour le moment.",
  "widget.solved": "Résolu",
  "widget.article": "Article",
  "widget.ask": "Demander à la communauté",

  "widget.settings.title": "Widget sur votre propre site",
  "widget.settings.intro":
    "Collez cette balise dans une page de votre site, là où le champ de recherche doit apparaître. Il cherche " +
    "dans cette communauté pendant la saisie et propose de poser la question avec le texte saisi.",
  "widget.settings.origins": "Origines autorisées",
  "widget.settings.originsHint":
    "Une par ligne, par exemple https://help.example.com : schéma, hôte et port seulement. Seules les pages de " +
    "ces origines peuvent utiliser le widget.",
  "widget.settings.notOrigins": "Pas une origine : {origins}. Écrivez chacune comme https://help.example.com.",
};
