import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const fr: Translation<typeof en> = {
  "academy.title": "Académie",
  "academy.lead": "De courts cours avec un quiz. Le réussir donne une certification affichée sur ton profil.",
  "academy.empty": "Aucun cours pour l’instant.",
  "academy.new": "Nouveau cours",
  "academy.create": "Créer le cours",
  "academy.staffOnly": "Seule l’équipe peut créer des cours.",
  "academy.certified": "Certifié",
  "academy.validUntil": "Valable jusqu’à",
  "academy.quiz": "Quiz",
  "academy.passMark": "Réussi avec {passMark} % de bonnes réponses.",
  "academy.single": "une réponse",
  "academy.multiple": "une ou plusieurs réponses",
  "academy.submit": "Envoyer les réponses",
  "academy.loginToTake": "Connecte-toi pour faire le quiz.",
  "academy.lastScore": "Ton dernier résultat : {score} % (requis : {passMark} %).",
  "academy.attemptsLeft": "Essais restants : {count}.",
  "academy.nextAttempt": "Prochain essai possible",
  "academy.field.title": "Titre",
  "academy.field.description": "Description",
  "academy.field.passMark": "Seuil de réussite (%)",
  "academy.field.maxAttempts": "Essais autorisés",
  "academy.field.cooldown": "Attente entre deux essais (minutes)",
  "academy.field.validity": "Certification valable (jours)",
  "academy.field.validityHint": "Laisser vide pour une validité illimitée.",
  "academy.field.lessons": "Leçons",
  "academy.field.lessonsHint": "Chaque leçon commence par une ligne « # Titre » ; le Markdown suit.",
  "academy.field.questions": "Questions",
  "academy.field.questionsHint":
    "« ? Question » a une bonne réponse, « ?? Question » plusieurs ; puis une option par ligne : « * juste » ou « - " +
    "faux ».",
};
