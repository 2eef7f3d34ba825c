import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const fr: Translation<typeof en> = {
  "sso.or": "Ou utilisez un compte que vous avez déjà :",
  "sso.loginWith": "Se connecter avec {provider}",
  "sso.loginWithAria": "Authentification unique",
  "sso.tryAgain": "Se reconnecter avec {provider}",
  "sso.passwordLogin": "Se connecter avec e-mail et mot de passe",

  "sso.failed.title": "L'authentification unique ne vous a pas connecté",
  "sso.failed.state":
    "Cette réponse de {provider} ne correspond à aucune connexion commencée dans ce navigateur, ou elle est arrivée " +
    "trop tard. Veuillez recommencer.",
  "sso.failed.nonce": "Le jeton d'identité de {provider} n'a pas été émis pour cette connexion. Veuillez recommencer.",
  "sso.failed.denied": "{provider} n'a pas confirmé la connexion (annulée ou refusée).",
  "sso.failed.exchange": "Impossible de terminer la connexion avec {provider}. Veuillez réessayer plus tard.",
  "sso.failed.emailMissing":
    "{provider} n'a pas communiqué votre adresse e-mail, nécessaire à votre compte. Autorisez-le chez {provider} " +
    "et réessayez.",
  "sso.failed.emailUnverified":
    "{provider} n'a pas vérifié votre adresse e-mail : nous ne pouvons ni la lier à un compte ni en créer un. " +
    "Vérifiez d'abord l'adresse chez {provider}, ou connectez-vous avec e-mail et mot de passe.",
};
