import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const it: Translation<typeof en> = {
  "academy.title": "Accademia",
  "academy.lead": "Brevi corsi con un quiz. Superarlo dà una certificazione visibile sul tuo profilo.",
  "academy.empty": "Ancora nessun corso.",
  "academy.new": "Nuovo corso",
  "academy.create": "Crea corso",
  "academy.staffOnly": "Solo il team può creare corsi.",
  "academy.certified": "Certificato",
  "academy.validUntil": "Valido fino a",
  "academy.quiz": "Quiz",
  "academy.passMark": "Superato con il {passMark} % di risposte giuste.",
  "academy.single": "una risposta",
  "academy.multiple": "una o più risposte",
  "academy.submit": "Invia le risposte",
  "academy.loginToTake": "Accedi per fare il quiz.",
  "academy.lastScore": "Il tuo ultimo risultato: {score} % (richiesto: {passMark} %).",
  "academy.attemptsLeft": "Tentativi rimasti: {count}.",
  "academy.nextAttempt": "Prossimo tentativo possibile",
  "academy.field.title": "Titolo",
  "academy.field.description": "Descrizione",
  "academy.field.passMark": "Soglia per superare (%)",
  "academy.field.maxAttempts": "Tentativi consentiti",
  "academy.field.cooldown": "Attesa tra due tentativi (minuti)",
  "academy.field.validity": "Certificazione valida per (giorni)",
  "academy.field.validityHint": "Lascia vuoto per nessuna scadenza.",
  "academy.field.lessons": "Lezioni",
  "academy.field.lessonsHint": "Ogni lezione inizia con una riga «# Titolo»; sotto il Markdown.",
  "academy.field.questions": "Domande",
  "academy.field.questionsHint":
    "«? Domanda» ha una risposta giusta, «?? Domanda» più d’una; poi un’opzione per riga: «* giusta» o «- sbagliata».",
};
