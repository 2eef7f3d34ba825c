/** The communities domain's messages in English: the reference the other languages translate. */
export const en = {
  "home.title": "Communities",
  "home.lead": "Ask questions, share ideas and help each other.",
  "home.empty": "There are no communities yet.",

  "community.private": "Private",
  "community.join": "Join community",
  "community.create": "Create a community",
  "community.createSubmit": "Create community",
  "community.name": "Name",
  "community.slug": "Address",
  "community.slugHint": "Used in links: /c/address. Lowercase letters, digits and dashes.",
  "community.slugTaken": "This address is already taken.",
  "community.description": "Description",
  "community.visibility": "Who can read it",
  "community.public": "Everyone (public)",
  "community.privateOption": "Members only (private)",
  "community.locale": "Language of the community",
  "community.timeZone": "Time zone",
  "community.timeZoneHint":
    "Every time on its pages, notifications and emails is shown in it. " +
    "An IANA name, e.g. Europe/Zurich or America/New_York.",

  "members.heading": "Members",
  "members.title": "Members of {community}",
  "members.name": "Name",
  "members.role": "Role",
  "members.roleOf": "Role of {name}",
  "members.since": "Member since",
  "members.save": "Save",
  "members.adminsOnly": "Only community admins can manage members.",

  "role.member": "Member",
  "role.staff": "Staff",
  "role.moderator": "Moderator",
  "role.admin": "Admin",

  "nav.sections": "Community sections",
  "nav.manage": "Manage",
  "nav.manage.label": "Manage this community",
  "nav.manage.moderation": "Moderation",
  "nav.manage.staff": "Staff",
  "nav.manage.admin": "Administration",
  "nav.manage.marketDesk": "Service friends desk",
  "nav.manage.widgetOrigins": "Widget origins",
  "nav.manage.adminEmails": "Outgoing email",
};
