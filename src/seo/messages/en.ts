/** The search-engine and feed messages in English: the reference the other languages translate. */
export const en = {
  "feed.latest": "Latest topics in {community}",
  "feed.solved": "Newly solved in {community}",
  "feed.kb": "Knowledge base of {community}",
  "feed.category": "{category} in {community}",
  "feed.tag": "Topics tagged {tag} in {community}",
  "feed.replies": "Replies to “{title}”",
  "feed.reply": "Reply by {name}",
  "feed.officialReply": "Official reply by {name}",
};
