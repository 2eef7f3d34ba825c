import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const it: Translation<typeof en> = {
  "feed.latest": "Ultimi argomenti in {community}",
  "feed.solved": "Risolti di recente in {community}",
  "feed.kb": "Base di conoscenza di {community}",
  "feed.category": "{category} in {community}",
  "feed.tag": "Argomenti con il tag {tag} in {community}",
  "feed.replies": "Risposte a «{title}»",
  "feed.reply": "Risposta di {name}",
  "feed.officialReply": "Risposta ufficiale di {name}",
};
