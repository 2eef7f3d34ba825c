import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const fr: Translation<typeof en> = {
  "home.title": "Communautés",
  "home.lead": "Posez des questions, partagez des idées et entraidez-vous.",
  "home.empty": "Il n’y a encore aucune communauté.",

  "community.private": "Privée",
  "community.join": "Rejoindre la communauté",
  "community.create": "Créer une communauté",
  "community.createSubmit": "Créer la communauté",
  "community.name": "Nom",
  "community.slug": "Adresse",
  "community.slugHint": "Utilisée dans les liens : /c/adresse. Minuscules, chiffres et tirets.",
  "community.slugTaken": "Cette adresse est déjà prise.",
  "community.description": "Description",
  "community.visibility": "Qui peut la lire",
  "community.public": "Tout le monde (publique)",
  "community.privateOption": "Membres uniquement (privée)",
  "community.locale": "Langue de la communauté",
  "community.timeZone": "Fuseau horaire",
  "community.timeZoneHint":
    "Toutes les heures de ses pages, notifications et e-mails y sont affichées. " +
    "Un nom IANA, p. ex. Europe/Zurich ou America/New_York.",
  "community.categoryNameTaken": "Une autre catégorie de cette communauté porte déjà ce nom.",
  "community.joinBanned": "Vous êtes banni de cette communauté.",
  "community.joinPrivate": "Cette communauté est privée : demandez à un administrateur de vous ajouter.",
  "community.joinRefused": "Vous ne pouvez pas rejoindre cette communauté.",

  "members.heading": "Membres",
  "members.title": "Membres de {community}",
  "members.name": "Nom",
  "members.role": "Rôle",
  "members.roleOf": "Rôle de {name}",
  "members.since": "Membre depuis",
  "members.save": "Enregistrer",
  "members.more": "Plus de membres",
  "members.adminsOnly": "Seuls les administrateurs de la communauté gèrent les membres.",
  "members.lastAdmin":
    "Une communauté garde au moins un administrateur : nommez d'abord quelqu'un d'autre administrateur.",
  "members.banned": "Cet utilisateur est banni de la communauté : levez d'abord le bannissement.",
  "members.unknownUser": "Cet utilisateur n'existe pas ou a supprimé son compte.",

  "role.member": "Membre",
  "role.staff": "Équipe",
  "role.moderator": "Modération",
  "role.admin": "Admin",

  "nav.sections": "Rubriques de la communauté",
  "nav.manage": "Gérer",
  "nav.manage.label": "Gérer cette communauté",
  "nav.manage.moderation": "Modération",
  "nav.manage.staff": "Équipe",
  "nav.manage.admin": "Administration",
  "nav.manage.marketDesk": "Guichet des amis du service",
  "nav.manage.widgetOrigins": "Origines du widget",
  "nav.manage.adminEmails": "E-mails sortants",
};
