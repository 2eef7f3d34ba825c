import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const de: Translation<typeof en> = {
  "academy.title": "Akademie",
  "academy.lead": "Kurze Kurse mit Quiz. Wer besteht, erhält eine Zertifizierung, die im Profil erscheint.",
  "academy.empty": "Noch keine Kurse.",
  "academy.new": "Neuer Kurs",
  "academy.create": "Kurs erstellen",
  "academy.staffOnly": "Nur das Team kann Kurse erstellen.",
  "academy.certified": "Zertifiziert",
  "academy.validUntil": "Gültig bis",
  "academy.quiz": "Quiz",
  "academy.passMark": "Bestanden mit {passMark} % richtigen Antworten.",
  "academy.single": "eine Antwort",
  "academy.multiple": "eine oder mehrere Antworten",
  "academy.submit": "Antworten senden",
  "academy.loginToTake": "Melde dich an, um das Quiz zu machen.",
  "academy.lastScore": "Dein letztes Ergebnis: {score} % (nötig: {passMark} %).",
  "academy.attemptsLeft": "Verbleibende Versuche: {count}.",
  "academy.nextAttempt": "Nächster Versuch möglich",
  "academy.field.title": "Titel",
  "academy.field.description": "Beschreibung",
  "academy.field.passMark": "Bestehensgrenze (%)",
  "academy.field.maxAttempts": "Erlaubte Versuche",
  "academy.field.cooldown": "Wartezeit zwischen Versuchen (Minuten)",
  "academy.field.validity": "Zertifizierung gültig für (Tage)",
  "academy.field.validityHint": "Leer lassen für unbegrenzte Gültigkeit.",
  "academy.field.lessons": "Lektionen",
  "academy.field.lessonsHint": "Jede Lektion beginnt mit einer Zeile „# Titel“; darunter Markdown.",
  "academy.field.questions": "Fragen",
  "academy.field.questionsHint":
    "„? Frage“ hat eine richtige Antwort, „?? Frage“ mehrere; dann eine Option pro Zeile: „* richtig“ oder „- falsch“.",
};
