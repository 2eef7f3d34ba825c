import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const fr: Translation<typeof en> = {
  "search.title": "Recherche",
  "search.heading": "Rechercher dans {community}",
  "search.label": "Rechercher questions, réponses et articles",
  "search.submit": "Rechercher",
  "search.filters": "Affiner les résultats",
  "search.intro": "Saisissez au moins deux lettres ou chiffres.",
  "search.results": "Résultats pour « {q} »",
  "search.none":
    "Aucun résultat pour « {q} ». Essayez d’autres mots, moins de filtres, ou posez la question à la communauté.",
  "search.someWords": "Aucun résultat ne contient tous vos mots ; ceux-ci en contiennent une partie.",
  "search.more": "Plus de résultats",
  "search.ask": "Demander à la communauté",
  "search.article": "Article",
  "search.duplicate": "Doublon",
  "search.box": "Rechercher dans cette communauté",

  "similar.heading": "Questions similaires",
  "similar.intro": "Ces sujets répondent peut-être déjà à votre question :",
  "similar.loading": "Recherche de questions similaires…",

  "duplicate.banner.title": "Cette question a déjà été posée",
  "duplicate.banner.text": "C’est un doublon de {link}. Les réponses et nouvelles y sont regroupées.",
  "duplicate.originalHidden": "Choisissez un original que tous ceux qui lisent ce sujet peuvent lire.",

  "kb.title": "Base de connaissances",
  "kb.intro": "Des réponses choisies par l’équipe.",
  "kb.empty": "Pas encore d’articles.",
  "kb.new": "Rédiger un article",
  "kb.promote": "Transformer ce sujet résolu en article de la base de connaissances",
  "kb.edit": "Modifier l’article",
  "kb.more": "Plus d’articles",
  "kb.field.title": "Titre",
  "kb.field.body": "Article",
  "kb.field.category": "Catégorie",
  "kb.field.source": "Promouvoir un sujet résolu (son numéro)",
  "kb.field.sourceHint": "Laissez le titre et l’article vides pour partir de la question et de la réponse acceptée.",
  "kb.noCategory": "Aucune catégorie",
  "kb.submit": "Publier l’article",
  "kb.fromTopic": "D’après le sujet résolu {link}.",
  "kb.updated": "Mis à jour {time}",
  "kb.staffOnly": "Seule l’équipe peut rédiger des articles de la base de connaissances.",
  "kb.notSolved": "Seul un sujet résolu de cette communauté peut être promu.",
  "kb.unknownCategory": "Choisissez une catégorie de cette communauté.",
  "kb.wouldReveal":
    "Cette catégorie montrerait le sujet à qui ne peut pas le voir : choisissez-en une aussi fermée que la sienne.",
};
