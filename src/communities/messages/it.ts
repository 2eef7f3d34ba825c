import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const it: Translation<typeof en> = {
  "home.title": "Community",
  "home.lead": "Fai domande, condividi idee e aiutatevi a vicenda.",
  "home.empty": "Non ci sono ancora community.",

  "community.private": "Privata",
  "community.join": "Unisciti alla community",
  "community.create": "Crea una community",
  "community.createSubmit": "Crea la community",
  "community.name": "Nome",
  "community.slug": "Indirizzo",
  "community.slugHint": "Usato nei link: /c/indirizzo. Lettere minuscole, cifre e trattini.",
  "community.slugTaken": "Questo indirizzo è già in uso.",
  "community.description": "Descrizione",
  "community.visibility": "Chi può leggerla",
  "community.public": "Tutti (pubblica)",
  "community.privateOption": "Solo i membri (privata)",
  "community.locale": "Lingua della community",
  "community.timeZone": "Fuso orario",
  "community.timeZoneHint":
    "Tutti gli orari delle sue pagine, notifiche ed e-mail sono mostrati in questo fuso. " +
    "Un nome IANA, ad es. Europe/Zurich o America/New_York.",
  "community.categoryNameTaken": "Un'altra categoria di questa community ha già questo nome.",
  "community.joinBanned": "Sei stato bandito da questa community.",
  "community.joinPrivate": "Questa community è privata: chiedi a un amministratore di aggiungerti.",
  "community.joinRefused": "Non puoi unirti a questa community.",

  "members.heading": "Membri",
  "members.title": "Membri di {community}",
  "members.name": "Nome",
  "members.role": "Ruolo",
  "members.roleOf": "Ruolo di {name}",
  "members.since": "Membro da",
  "members.save": "Salva",
  "members.more": "Altri membri",
  "members.adminsOnly": "Solo gli amministratori della community possono gestire i membri.",
  "members.lastAdmin": "Una community mantiene almeno un amministratore: prima nomina qualcun altro amministratore.",
  "members.banned": "Questo utente è bandito dalla community: prima revoca il ban.",
  "members.unknownUser": "Questo utente non esiste o ha eliminato il suo account.",

  "role.member": "Membro",
  "role.staff": "Staff",
  "role.moderator": "Moderatore",
  "role.admin": "Admin",

  "nav.sections": "Sezioni della community",
  "nav.manage": "Gestisci",
  "nav.manage.label": "Gestisci questa community",
  "nav.manage.moderation": "Moderazione",
  "nav.manage.staff": "Staff",
  "nav.manage.admin": "Amministrazione",
  "nav.manage.marketDesk": "Sportello degli amici del servizio",
  "nav.manage.widgetOrigins": "Origini del widget",
  "nav.manage.adminEmails": "Email in uscita",
};
