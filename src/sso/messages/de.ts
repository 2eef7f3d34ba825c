import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const de: Translation<typeof en> = {
  "sso.or": "Oder mit einem Konto anmelden, das du schon hast:",
  "sso.loginWith": "Mit {provider} anmelden",
  "sso.loginWithAria": "Single Sign-on",
  "sso.tryAgain": "Erneut mit {provider} anmelden",
  "sso.passwordLogin": "Mit E-Mail und Passwort anmelden",

  "sso.failed.title": "Die Anmeldung über Single Sign-on hat nicht geklappt",
  "sso.failed.state":
    "Diese Antwort von {provider} gehört zu keiner Anmeldung, die in diesem Browser begonnen wurde, " +
    "oder sie kam zu spät. " +
    "Bitte beginne von vorn.",
  "sso.failed.nonce":
    "Das Identitäts-Token von {provider} wurde nicht für diese Anmeldung ausgestellt. Bitte beginne von vorn.",
  "sso.failed.code":
    "{provider} hat diese Anmeldung nicht angenommen, weil sie schon verwendet wurde oder zu lange gedauert hat. " +
    "Bitte beginne von vorn.",
  "sso.failed.denied": "{provider} hat die Anmeldung nicht bestätigt (abgebrochen oder abgelehnt).",
  "sso.failed.exchange":
    "Die Anmeldung mit {provider} konnte nicht abgeschlossen werden. Bitte versuche es später noch einmal.",
  "sso.failed.emailMissing":
    "{provider} hat deine E-Mail-Adresse nicht mitgeteilt; wir brauchen sie für dein Konto. " +
    "Erlaube es dort und versuche es erneut.",
  "sso.failed.emailInvalid":
    "{provider} hat uns eine E-Mail-Adresse gegeben, die keine E-Mails empfangen kann; wir können sie daher " +
    "mit keinem Konto verbinden und keines anlegen. Korrigiere die Adresse zuerst dort, oder melde dich mit " +
    "E-Mail und Passwort an.",
  "sso.failed.emailUnverified":
    "{provider} hat deine E-Mail-Adresse nicht bestätigt; darum können wir sie mit keinem Konto " +
    "verknüpfen und keines anlegen. Bestätige die Adresse zuerst dort oder melde dich mit E-Mail " +
    "und Passwort an.",
  "sso.failed.emailLinked":
    "Das Konto mit dieser E-Mail-Adresse ist schon mit einer anderen Anmeldung bei {provider} verknüpft; " +
    "diese können wir nicht damit verknüpfen. Melde dich mit jener Anmeldung oder mit E-Mail und Passwort an.",

  "list.ssoSettings": "Single Sign-on",
  "sso.settings.title": "Single Sign-on",
  "sso.settings.intro":
    "Verlange, dass Mitglieder sich über euer Kundenkonto anmelden, bevor sie " +
    "schreiben oder sich als Service-Freund bewerben. Mitarbeitende, Moderatoren und " +
    "Admins sind ausgenommen.",
  "sso.settings.noProviders": "Auf dieser Installation ist kein Anmeldedienst eingerichtet (OIDC_PROVIDERS).",
  "sso.settings.provider": "Anmeldedienst, der zählt",
  "sso.settings.anyProvider": "Jeder eingerichtete Anmeldedienst",
  "sso.settings.toPost": "Nötig für Themen, Antworten und Kommentare",
  "sso.settings.toApply": "Nötig für die Bewerbung als Service-Freund",
  "sso.settings.claim": "Angabe (Claim), die die Anmeldung tragen muss",
  "sso.settings.claimHint": "Zum Beispiel customer_number oder groups; leer: die Anmeldung allein genügt.",
  "sso.settings.claimValue": "Wert, den die Angabe haben muss",
  "sso.settings.claimValueHint": "Bei einer Liste wie groups: ein Wert, den sie enthalten muss; leer: jeder Wert.",
  "sso.settings.yes": "Ja",
  "sso.settings.no": "Nein",
  "sso.settings.save": "Speichern",
  "sso.settings.unknownProvider": "Ein Anmeldedienst dieses Namens ist nicht eingerichtet.",
  "sso.settings.claimNeeded": "Nenne die Angabe (Claim), deren Wert geprüft wird.",
  "sso.settings.providerFirst": "Richte zuerst einen Anmeldedienst ein (OIDC_PROVIDERS).",
  "sso.required.post": "Um hier zu schreiben, melde dich bitte mit {provider} an.",
  "sso.required.postClaim":
    "Um hier zu schreiben, melde dich bitte mit {provider} an, mit einem Konto, das {claim} enthält.",
  "sso.required.apply": "Um dich als Service-Freund zu bewerben, melde dich bitte mit {provider} an.",
  "sso.required.applyClaim":
    "Um dich als Service-Freund zu bewerben, melde dich bitte mit {provider} an, mit einem Konto, das {claim} enthält.",
};
