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
  "footer.darkMode": "Dunkler Modus",

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
  "form.url": "Bitte eine Webadresse eingeben, die mit http:// oder https:// beginnt.",
  "form.tagFormat": "Tags dürfen nur Kleinbuchstaben, Ziffern und - + # . enthalten.",
  "form.slugFormat": "1-40 Kleinbuchstaben, Ziffern und Bindestriche verwenden.",
  "form.choose": "Bitte eine der Optionen wählen.",
  "form.invalid": "Dieser Wert ist ungültig.",
  "form.timeZone": "Unbekannte Zeitzone: Verwende einen IANA-Namen wie Europe/Zurich.",
  "form.numberMin": "Gib eine Zahl von mindestens {min} ein.",
  "form.numberMax": "Gib eine Zahl von höchstens {max} ein.",
  "form.oneLine": "Verwende eine Zeile Text, ohne Zeilenumbrüche oder Steuerzeichen.",
  "form.nothingToChange": "Ändere mindestens ein Feld.",
  "form.reasonRequired": "Gib einen Grund an (mindestens 3 Zeichen).",
  "form.endAfterStart": "Das Ende muss nach dem Beginn liegen.",
  "form.endWithin": "Das Ende muss nach dem Beginn liegen, höchstens {hours} Stunden später.",
  "form.twoDecimals": "Verwende höchstens zwei Nachkommastellen.",
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
  "done.followed": "Du folgst diesem Thema: Neue Antworten erreichen dich als Benachrichtigung.",
  "done.unfollowed": "Du folgst diesem Thema nicht mehr.",
  "done.voted": "Deine Stimme ist gezählt.",
  "done.accepted": "Die Antwort ist als Lösung markiert.",
  "done.unaccepted": "Die Antwort ist nicht mehr als Lösung markiert.",
  "done.read": "Benachrichtigungen als gelesen markiert.",
  "done.merged":
    "Nichts wurde geändert: Das Thema wurde mit diesem zusammengeführt. Wiederhole es hier, wenn du möchtest.",
  "author.staff": "Team",

  "editor.tabs": "Editor",
  "editor.write": "Schreiben",
  "editor.preview": "Vorschau",
  "editor.previewButton": "Vorschau",
  "editor.previewTitle": "Vorschau",
  "editor.previewEmpty": "Noch nichts für die Vorschau.",
  "editor.previewFailed": "Die Vorschau konnte nicht geladen werden. Dein Text ist unverändert.",
  "editor.toolbar": "Formatierung",
  "editor.bold": "Fett",
  "editor.italic": "Kursiv",
  "editor.link": "Link",
  "editor.code": "Code",
  "editor.list": "Liste",
  "editor.quote": "Zitat",
  "editor.image": "Bild",
  "editor.attach": "Bild anhängen",
  "editor.attachHint":
    "JPEG, PNG, WebP oder GIF, höchstens 8 MB. Du kannst ein Bild auch in den Text einfügen oder hineinziehen.",
  "editor.uploading": "Das Bild wird hochgeladen …",
  "editor.uploaded": "Das Bild wurde deinem Text hinzugefügt.",
  "editor.uploadInvalid":
    "Diese Datei ist kein verwendbares Bild: JPEG, PNG, WebP oder GIF, höchstens 8 MB und 40 Megapixel.",
  "editor.uploadAllowance":
    "Du hast dein heutiges Bildkontingent in dieser Community aufgebraucht. Versuche es morgen wieder.",
  "editor.uploadForbidden": "Du kannst hier keine Bilder anhängen.",
  "editor.uploadFailed": "Das Bild konnte nicht hochgeladen werden. Bitte versuche es noch einmal.",
  "editor.imageGone":
    "Ein Bild in deinem Text ist nicht mehr gespeichert: Es wurde nicht innerhalb eines Tages nach dem " +
    "Hochladen veröffentlicht. Hänge es erneut an.",
  "editor.draftElsewhere":
    "Dieser Entwurf wurde in einem anderen Tab geändert: Dieser Tab speichert ihn nicht mehr, damit kein Text " +
    "überschrieben wird. Lade die Seite neu, um mit dem Entwurf des anderen Tabs weiterzumachen.",
  "editor.draftOutdated":
    "Dieser Beitrag wurde nach deinem Entwurf aus diesem Browser geändert: Das Formular zeigt ihn, wie er jetzt ist.",
  "editor.draftRestored": "Dein Entwurf aus diesem Browser wurde wiederhergestellt.",
  "empty.browseTopics": "Zu den Themen",
  "empty.askFirst": "Die erste Frage stellen",
  "empty.browseCommunities": "Zu den Communitys",
  "empty.clearFilters": "Alle Themen zeigen",
};
