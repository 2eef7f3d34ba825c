import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const fr: Translation<typeof en> = {
  "academy.title": "Académie",
  "academy.lead": "De courts cours avec un quiz. Le réussir donne une certification affichée sur votre profil.",
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
  "academy.loginToTake": "Connectez-vous pour faire le quiz.",
  "academy.lastScore": "Votre dernier résultat : {score} % (requis : {passMark} %).",
  "academy.attemptsLeft": "Essais restants : {count}.",
  "academy.mistakes.one": "Lors de la dernière tentative, 1 réponse était fausse :",
  "academy.mistakes.other": "Lors de la dernière tentative, {count} réponses étaient fausses :",
  "academy.wrongLastTime": "Votre dernière réponse à cette question était fausse.",
  "academy.field.showMistakes": "Après une tentative échouée",
  "academy.field.showMistakes.yes": "Indiquer les questions mal répondues (jamais les bonnes réponses)",
  "academy.field.showMistakes.no": "Afficher seulement le score",
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
  "academy.field.optionsMin":
    "Question {number} : donnez au moins deux options, une par ligne (« * juste » ou « - faux »).",
  "academy.field.oneRight":
    "La question {number} (« ? ») a une seule bonne réponse : marquez exactement une option avec « * », ou écrivez " +
    "« ?? » pour plusieurs.",
  "academy.field.someRight": "Question {number} : marquez au moins une option comme juste avec « * ».",
  "academy.error.certified": "Vous avez déjà cette certification.",
  "academy.error.noAttempts": "Vous n’avez plus de tentatives pour ce cours.",
  "academy.error.notAllowed":
    "Vos réponses n’ont pas été enregistrées : vous ne pouvez pas passer ce quiz pour le moment.",
  "academy.error.wait": "Veuillez patienter jusqu’au {time} avant la prochaine tentative.",
};
