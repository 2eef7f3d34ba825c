import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const de: Translation<typeof en> = {
  "account.name": "Anzeigename",
  "account.nameHint": "Wird neben deinen Beiträgen angezeigt.",
  "account.email": "E-Mail",
  "account.password": "Passwort",
  "account.passwordHint": "Mindestens {min} Zeichen.",
  "account.locale": "Sprache",

  "login.title": "Anmelden",
  "login.submit": "Anmelden",
  "login.failed": "E-Mail oder Passwort ist falsch.",
  "login.noAccount": "Neu hier?",

  "signup.title": "Konto erstellen",
  "signup.submit": "Registrieren",
  "signup.emailTaken": "Zu dieser E-Mail gibt es bereits ein Konto. Stattdessen anmelden?",
  "signup.haveAccount": "Schon ein Konto?",
};
