import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const it: Translation<typeof en> = {
  "sso.or": "Oppure usa un account che hai già:",
  "sso.loginWith": "Accedi con {provider}",
  "sso.loginWithAria": "Accesso unico",
  "sso.tryAgain": "Accedi di nuovo con {provider}",
  "sso.passwordLogin": "Accedi con e-mail e password",

  "sso.failed.title": "L'accesso unico non ti ha fatto entrare",
  "sso.failed.state":
    "Questa risposta di {provider} non appartiene a un accesso iniziato in questo browser, oppure è arrivata troppo " +
    "tardi. Ricomincia.",
  "sso.failed.nonce": "Il token di identità di {provider} non è stato emesso per questo accesso. Ricomincia.",
  "sso.failed.code":
    "{provider} non ha accettato questo accesso: è già stato usato o ha richiesto troppo tempo. Ricomincia.",
  "sso.failed.denied": "{provider} non ha confermato l'accesso (annullato o rifiutato).",
  "sso.failed.exchange": "Non è stato possibile completare l'accesso con {provider}. Riprova più tardi.",
  "sso.failed.emailMissing":
    "{provider} non ha condiviso il tuo indirizzo e-mail, necessario per il tuo account. " +
    "Consentilo presso il fornitore e riprova.",
  "sso.failed.emailInvalid":
    "{provider} ci ha fornito un indirizzo e-mail che non può ricevere e-mail: non possiamo collegarlo a un " +
    "account né crearne uno. Correggi prima l'indirizzo presso il fornitore, oppure accedi con e-mail e password.",
  "sso.failed.emailUnverified":
    "{provider} non ha verificato il tuo indirizzo e-mail: non possiamo collegarlo a un account né crearne uno. " +
    "Verifica prima l'indirizzo presso il fornitore, oppure accedi con e-mail e password.",
  "sso.failed.emailLinked":
    "L'account con questo indirizzo e-mail è già collegato a un altro accesso {provider}: non possiamo " +
    "collegarvi questo. Accedi con quell'altro accesso, oppure con e-mail e password.",

  "list.ssoSettings": "Accesso unico",
  "sso.settings.title": "Accesso unico",
  "sso.settings.intro":
    "Chiedi ai membri di accedere con il loro account cliente prima di pubblicare o di " +
    "candidarsi come amico del servizio. Personale, moderatori e admin sono esclusi.",
  "sso.settings.noProviders": "Nessun fornitore di accesso è configurato su questa installazione (OIDC_PROVIDERS).",
  "sso.settings.provider": "Fornitore il cui accesso conta",
  "sso.settings.anyProvider": "Qualsiasi fornitore configurato",
  "sso.settings.toPost": "Richiesto per pubblicare argomenti, risposte e commenti",
  "sso.settings.toApply": "Richiesto per candidarsi come amico del servizio",
  "sso.settings.claim": "Attributo (claim) che l'accesso deve avere",
  "sso.settings.claimHint": "Per esempio customer_number o groups; vuoto: basta l'accesso.",
  "sso.settings.claimValue": "Valore che l'attributo deve avere",
  "sso.settings.claimValueHint": "Per una lista come groups: un valore che deve contenere; vuoto: qualsiasi valore.",
  "sso.settings.yes": "Sì",
  "sso.settings.no": "No",
  "sso.settings.save": "Salva",
  "sso.settings.unknownProvider": "Nessun fornitore di accesso con questo nome è configurato.",
  "sso.settings.claimNeeded": "Indica l'attributo (claim) di cui si verifica il valore.",
  "sso.settings.providerFirst": "Configura prima un fornitore di accesso (OIDC_PROVIDERS).",
  "sso.required.post": "Per pubblicare qui, accedi con {provider}.",
  "sso.required.postClaim": "Per pubblicare qui, accedi con {provider}, con un account che contiene {claim}.",
  "sso.required.apply": "Per candidarti come amico del servizio, accedi con {provider}.",
  "sso.required.applyClaim":
    "Per candidarti come amico del servizio, accedi con {provider}, con un account che contiene {claim}.",
};
