/** The routing domain's messages in English: the reference the other languages translate. */
export const en = {
  "routing.title": "Questions for you",
  "routing.listTitle": "Questions",
  "routing.lead": "Questions you are likely to answer well, chosen from the answers you gave before.",
  "routing.byline": "Asked by {name}, sent to you {time}",
  "routing.empty": "No questions for you right now.",
  "routing.optedOutNotice": "You opted out: no questions are sent to you.",
  "routing.optOutHint": "Too many? You can stop receiving questions at any time.",
  "routing.optInHint": "Receive questions that match your expertise again.",
  "routing.optOut": "Stop sending me questions",
  "routing.optIn": "Send me questions again",
  "routing.settings": "Routing to experts",
  "routing.experts": "Experts per question",
  "routing.expertsHint": "A new question is offered to this many experts at once.",
  "routing.rerouteAfter": "Offer to the next experts after (minutes)",
  "routing.rerouteAfterHint": "When none of them answered within this time.",
  "routing.maxOpen": "Open questions per expert",
  "routing.maxOpenHint": "Experts holding this many unanswered routed questions get no more.",

  "list.questionsForYou": "Questions for you",
};
