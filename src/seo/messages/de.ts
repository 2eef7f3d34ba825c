import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const de: Translation<typeof en> = {
  "feed.latest": "Neueste Themen in {community}",
  "feed.solved": "Neu gelöst in {community}",
  "feed.kb": "Wissensdatenbank von {community}",
  "feed.category": "{category} in {community}",
  "feed.tag": "Themen mit dem Tag {tag} in {community}",
  "feed.replies": "Antworten auf «{title}»",
  "feed.reply": "Antwort von {name}",
  "feed.officialReply": "Offizielle Antwort von {name}",
};
