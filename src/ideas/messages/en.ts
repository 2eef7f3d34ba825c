/** The ideas domain's messages in English: the reference the other languages translate. */
export const en = {
  "idea.status.new": "New",
  "idea.status.under_review": "Under review",
  "idea.status.planned": "Planned",
  "idea.status.in_progress": "In progress",
  "idea.status.done": "Done",
  "idea.status.declined": "Declined",

  "idea.progress": "Where this idea stands",
  "idea.noChanges": "Our team has not reviewed this idea yet.",
  "idea.changedBy": "by {name}, {time}",
  "idea.status": "Status",
  "idea.note": "Public note",
  "idea.noteHint":
    "Optional. Shown with the change to everyone, and sent to the people who voted for or follow this idea.",
  "idea.setStatus": "Update the status",
  "idea.toBoard": "All ideas on the board",

  "idea.board": "Ideas",
  "idea.boardTitle": "Ideas for {community}",
  "idea.boardLead": "What customers suggested and where each idea stands with our team.",
  "idea.feed": "Follow the status changes (Atom feed)",
  "idea.feedTitle": "Status of ideas in {community}",
  "idea.filters": "Filter the ideas",
  "idea.allStatuses": "All statuses",
  "idea.category": "Category",
  "idea.allCategories": "All categories",
  "idea.sort": "Order",
  "idea.sort.votes": "Most votes",
  "idea.sort.recent": "Most recent",
  "idea.apply": "Show",
  "idea.none": "No ideas here yet.",
  "idea.suggest": "Suggest an idea",

  "notify.idea_status": "{actor} updated the status of the idea “{title}”",
  "notify.kind.idea_status": "Progress of ideas I voted for or follow",
};
