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
  "sso.failed.code":
    "{provider} n'a pas accepté cette connexion : elle a déjà été utilisée ou a pris trop de temps. " +
    "Veuillez recommencer.",
  "sso.failed.denied": "{provider} n'a pas confirmé la connexion (annulée ou refusée).",
  "sso.failed.exchange": "Impossible de terminer la connexion avec {provider}. Veuillez réessayer plus tard.",
  "sso.failed.emailMissing":
    "{provider} n'a pas communiqué votre adresse e-mail, nécessaire à votre compte. Autorisez-le chez ce fournisseur " +
    "et réessayez.",
  "sso.failed.emailInvalid":
    "{provider} nous a transmis une adresse e-mail qui ne peut pas recevoir d'e-mails : nous ne pouvons ni la " +
    "lier à un compte ni en créer un. Corrigez d'abord l'adresse chez ce fournisseur, ou connectez-vous avec " +
    "votre e-mail et votre mot de passe.",
  "sso.failed.emailUnverified":
    "{provider} n'a pas vérifié votre adresse e-mail : nous ne pouvons ni la lier à un compte ni en créer un. " +
    "Vérifiez d'abord l'adresse chez ce fournisseur, ou connectez-vous avec e-mail et mot de passe.",
  "sso.failed.emailLinked":
    "Le compte ayant cette adresse e-mail est déjà lié à une autre connexion {provider} : nous ne pouvons pas " +
    "y lier celle-ci. Connectez-vous avec cette autre connexion, ou avec e-mail et mot de passe.",

  "list.ssoSettings": "Authentification unique",
  "sso.settings.title": "Authentification unique",
  "sso.settings.intro":
    "Demandez aux membres de se connecter avec leur compte client avant de publier ou de " +
    "postuler comme ami du service. Le personnel, les modérateurs et les admins n'y sont " +
    "pas soumis.",
  "sso.settings.noProviders": "Aucun fournisseur de connexion n'est configuré sur cette installation (OIDC_PROVIDERS).",
  "sso.settings.provider": "Fournisseur dont la connexion compte",
  "sso.settings.anyProvider": "N'importe quel fournisseur configuré",
  "sso.settings.toPost": "Requise pour publier sujets, réponses et commentaires",
  "sso.settings.toApply": "Requise pour postuler comme ami du service",
  "sso.settings.claim": "Attribut (claim) que la connexion doit porter",
  "sso.settings.claimHint": "Par exemple customer_number ou groups ; vide : la connexion suffit.",
  "sso.settings.claimValue": "Valeur que l'attribut doit avoir",
  "sso.settings.claimValueHint":
    "Pour une liste comme groups : une valeur qu'elle doit contenir ; vide : toute valeur.",
  "sso.settings.yes": "Oui",
  "sso.settings.no": "Non",
  "sso.settings.save": "Enregistrer",
  "sso.settings.unknownProvider": "Aucun fournisseur de connexion de ce nom n'est configuré.",
  "sso.settings.claimNeeded": "Indiquez l'attribut (claim) dont la valeur est vérifiée.",
  "sso.settings.providerFirst": "Configurez d'abord un fournisseur de connexion (OIDC_PROVIDERS).",
  "sso.required.post": "Pour publier ici, connectez-vous avec {provider}.",
  "sso.required.postClaim": "Pour publier ici, connectez-vous avec {provider}, avec un compte qui contient {claim}.",
  "sso.required.apply": "Pour postuler comme ami du service, connectez-vous avec {provider}.",
  "sso.required.applyClaim":
    "Pour postuler comme ami du service, connectez-vous avec {provider}, avec un compte qui contient {claim}.",
};
