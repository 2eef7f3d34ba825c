import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const it: Translation<typeof en> = {
  "account.name": "Nome visualizzato",
  "account.nameHint": "Mostrato accanto ai tuoi messaggi.",
  "account.email": "E-mail",
  "account.password": "Password",
  "account.passwordHint": "Almeno {min} caratteri.",
  "account.locale": "Lingua",

  "login.title": "Accedi",
  "login.submit": "Accedi",
  "login.failed": "E-mail o password non corretti.",
  "login.noAccount": "Sei nuovo?",

  "signup.title": "Crea il tuo account",
  "signup.submit": "Registrati",
  "signup.emailTaken": "Esiste già un account con questa e-mail. Vuoi accedere?",
  "signup.haveAccount": "Hai già un account?",
};
