import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const fr: Translation<typeof en> = {
  "feed.latest": "Derniers sujets de {community}",
  "feed.solved": "Récemment résolus dans {community}",
  "feed.kb": "Base de connaissances de {community}",
  "feed.category": "{category} dans {community}",
  "feed.tag": "Sujets avec le tag {tag} dans {community}",
  "feed.replies": "Réponses à « {title} »",
  "feed.reply": "Réponse de {name}",
  "feed.officialReply": "Réponse officielle de {name}",
};
