import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const fr: Translation<typeof en> = {
  "account.name": "Nom affiché",
  "account.nameHint": "Affiché à côté de vos messages.",
  "account.email": "E-mail",
  "account.password": "Mot de passe",
  "account.passwordHint": "Au moins {min} caractères.",
  "account.locale": "Langue",

  "login.title": "Connexion",
  "login.submit": "Se connecter",
  "login.failed": "L’e-mail ou le mot de passe est incorrect.",
  "login.noAccount": "Nouveau ici ?",

  "signup.title": "Créer votre compte",
  "signup.submit": "S’inscrire",
  "signup.emailTaken": "Un compte existe déjà avec cet e-mail. Vous connecter plutôt ?",
  "signup.haveAccount": "Vous avez déjà un compte ?",
};
