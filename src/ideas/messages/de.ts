import type { Translation } from "../../i18n/i18n.ts";
import type { en } from "./en.ts";

export const de: Translation<typeof en> = {
  "idea.status.new": "Neu",
  "idea.status.under_review": "In Prüfung",
  "idea.status.planned": "Geplant",
  "idea.status.in_progress": "In Arbeit",
  "idea.status.done": "Umgesetzt",
  "idea.status.declined": "Abgelehnt",

  "idea.progress": "Stand dieser Idee",
  "idea.noChanges": "Unser Team hat diese Idee noch nicht geprüft.",
  "idea.changedBy": "von {name}, {time}",
  "idea.status": "Status",
  "idea.note": "Öffentliche Notiz",
  "idea.noteHint":
    "Freiwillig. Wird allen mit der Änderung angezeigt und an alle geschickt, die für die Idee gestimmt haben oder " +
    "ihr folgen.",
  "idea.setStatus": "Status ändern",
  "idea.toBoard": "Alle Ideen auf der Übersicht",
  "idea.topicGone":
    "Diese Idee wurde inzwischen zusammengeführt oder entfernt, ihr Status blieb daher unverändert. Öffne sie erneut.",

  "idea.board": "Ideen",
  "idea.boardTitle": "Ideen für {community}",
  "idea.boardLead": "Was Kundinnen und Kunden vorschlagen und wie weit jede Idee bei unserem Team ist.",
  "idea.feed": "Statusänderungen abonnieren (Atom-Feed)",
  "idea.feedTitle": "Status der Ideen in {community}",
  "idea.filters": "Ideen filtern",
  "idea.allStatuses": "Alle Status",
  "idea.category": "Kategorie",
  "idea.allCategories": "Alle Kategorien",
  "idea.sort": "Reihenfolge",
  "idea.sort.votes": "Meiste Stimmen",
  "idea.sort.recent": "Neueste",
  "idea.apply": "Anzeigen",
  "idea.none": "Noch keine Ideen.",
  "idea.suggest": "Eine Idee vorschlagen",
  "idea.showAll": "Alle {count} anzeigen",
  "idea.showFirst": "Die ersten {limit} von {count} anzeigen",
  "idea.pages": "Seiten der Ideen",
  "idea.range": "Ideen {from} bis {to} von {count}",
  "idea.previous": "Vorherige Ideen",
  "idea.next": "Weitere Ideen",

  "notify.idea_status": "{actor} hat den Status der Idee „{title}“ geändert",
  "notify.kind.idea_status": "Fortschritt von Ideen, für die ich gestimmt habe oder denen ich folge",
};
