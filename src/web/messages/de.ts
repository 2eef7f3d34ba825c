import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const de: Translation<typeof en> = {
  "app.name": "Crowdservice",

  "nav.skip": "Zum Inhalt springen",
  "nav.account": "Konto",
  "nav.breadcrumbs": "Navigationspfad",
  "nav.login": "Anmelden",
  "nav.signup": "Registrieren",
  "nav.logout": "Abmelden",

  "footer.tagline": "Crowdservice: Kundinnen und Kunden helfen einander",
  "footer.api": "API",

  "error.home": "Zur Startseite",
  "error.csrf":
    "Dieses Formular ist abgelaufen oder stammt nicht von dieser Website. Bitte die Seite neu laden und es erneut " +
    "versuchen.",
  "error.rateLimited": "Zu viele Versuche in kurzer Zeit. Bitte eine Minute warten und erneut versuchen.",
  "error.400.title": "Diese Anfrage hat nicht funktioniert",
  "error.400.text": "Die Seite hat etwas erhalten, das sie nicht verarbeiten kann.",
  "error.401.title": "Bitte anmelden",
  "error.401.text": "Dafür musst du angemeldet sein.",
  "error.403.title": "Nicht erlaubt",
  "error.403.text": "Dazu fehlt dir die Berechtigung.",
  "error.404.title": "Seite nicht gefunden",
  "error.404.text": "Diese Seite gibt es nicht, oder du hast keinen Zugriff darauf.",
  "error.409.title": "Das steht im Konflikt",
  "error.409.text": "Das kollidiert mit etwas, das bereits existiert.",
  "error.422.title": "Einige Angaben sind ungültig",
  "error.422.text": "Bitte zurückgehen und die Eingaben prüfen.",
  "error.429.title": "Bitte etwas langsamer",
  "error.429.text": "Zu viele Anfragen in kurzer Zeit. Bitte kurz warten und erneut versuchen.",
  "error.500.title": "Etwas ist schiefgelaufen",
  "error.500.text": "Bei uns ist etwas schiefgelaufen. Bitte gleich noch einmal versuchen.",

  "form.fixErrors": "Bitte korrigiere Folgendes:",
  "form.required": "Dieses Feld ist erforderlich.",
  "form.tooShort": "Mindestens {min} Zeichen verwenden.",
  "form.tooLong": "Höchstens {max} Zeichen verwenden.",
  "form.tooMany": "Höchstens {max} verwenden.",
  "form.email": "Bitte eine gültige E-Mail-Adresse eingeben.",
  "form.tagFormat": "Tags dürfen nur Kleinbuchstaben, Ziffern und - + # . enthalten.",
  "form.slugFormat": "1-40 Kleinbuchstaben, Ziffern und Bindestriche verwenden.",
  "form.choose": "Bitte eine der Optionen wählen.",
  "form.invalid": "Dieser Wert ist ungültig.",
  "form.cancel": "Abbrechen",
  "form.save": "Änderungen speichern",
  "form.markdownHint": "Markdown funktioniert:",
  "form.bold": "fett",
  "form.italic": "kursiv",
  "form.link": "Link",
  "form.list": "Listenpunkt",
  /** Next to the name of a member suspended from the community, on their posts. */
  "author.suspended": "Gesperrt",
  "done.flagged":
    "Danke für die Meldung: Die Moderation prüft den Beitrag. Genügend Meldungen vertrauenswürdiger Mitglieder " +
    "blenden ihn sofort aus.",
  "done.followed": "Sie folgen diesem Thema: Neue Antworten erreichen Sie als Benachrichtigung.",
  "done.unfollowed": "Sie folgen diesem Thema nicht mehr.",
  "done.voted": "Ihre Stimme ist gezählt.",
  "done.accepted": "Die Antwort ist als Lösung markiert.",
  "done.unaccepted": "Die Antwort ist nicht mehr als Lösung markiert.",
  "done.read": "Benachrichtigungen als gelesen markiert.",
  "author.staff": "Team",
};
