import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const de: Translation<typeof en> = {
  "home.title": "Communities",
  "home.lead": "Fragen stellen, Ideen teilen und einander helfen.",
  "home.empty": "Es gibt noch keine Communities.",

  "community.private": "Privat",
  "community.join": "Community beitreten",
  "community.create": "Community erstellen",
  "community.createSubmit": "Community erstellen",
  "community.name": "Name",
  "community.slug": "Adresse",
  "community.slugHint": "Wird in Links verwendet: /c/adresse. Kleinbuchstaben, Ziffern und Bindestriche.",
  "community.slugTaken": "Diese Adresse ist bereits vergeben.",
  "community.description": "Beschreibung",
  "community.visibility": "Wer darf mitlesen",
  "community.public": "Alle (öffentlich)",
  "community.privateOption": "Nur Mitglieder (privat)",
  "community.locale": "Sprache der Community",
  "community.timeZone": "Zeitzone",
  "community.timeZoneHint":
    "Alle Zeiten auf ihren Seiten, in Benachrichtigungen und E-Mails werden darin angezeigt. " +
    "Ein IANA-Name, z. B. Europe/Zurich oder America/New_York.",
  "community.categoryNameTaken": "Eine andere Kategorie dieser Community hat bereits diesen Namen.",
  "community.joinBanned": "Du bist aus dieser Community verbannt.",
  "community.joinPrivate": "Diese Community ist privat; bitte einen Admin, dich hinzuzufügen.",
  "community.joinRefused": "Du kannst dieser Community nicht beitreten.",

  "members.heading": "Mitglieder",
  "members.title": "Mitglieder von {community}",
  "members.name": "Name",
  "members.role": "Rolle",
  "members.roleOf": "Rolle von {name}",
  "members.since": "Mitglied seit",
  "members.save": "Speichern",
  "members.more": "Weitere Mitglieder",
  "members.adminsOnly": "Nur Community-Admins können Mitglieder verwalten.",
  "members.lastAdmin": "Eine Community behält mindestens einen Admin: Mach zuerst jemand anderen zum Admin.",
  "members.banned": "Diese Person ist aus der Community verbannt: Hebe zuerst die Sperre auf.",
  "members.unknownUser": "Diese Person gibt es nicht oder sie hat ihr Konto gelöscht.",

  "role.member": "Mitglied",
  "role.staff": "Mitarbeitende",
  "role.moderator": "Moderation",
  "role.admin": "Admin",

  "nav.sections": "Bereiche der Community",
  "nav.manage": "Verwalten",
  "nav.manage.label": "Diese Community verwalten",
  "nav.manage.moderation": "Moderation",
  "nav.manage.staff": "Team",
  "nav.manage.admin": "Administration",
  "nav.manage.marketDesk": "Schalter für Service-Freunde",
  "nav.manage.widgetOrigins": "Widget-Herkünfte",
  "nav.manage.adminEmails": "Ausgehende E-Mails",
};
