/** The widget's messages in English: the reference the other languages translate. */
export const en = {
  "widget.label": "Search the {community} community",
  "widget.results": "Answers from the community",
  "widget.found.one": "{count} answer from the community",
  "widget.found.other": "{count} answers from the community",
  "widget.none": "No answers yet: ask the community.",
  "widget.failed": "The community search is not available right now.",
  "widget.solved": "Solved",
  "widget.article": "Article",
  "widget.ask": "Ask the community",

  "widget.settings.title": "Widget on your own site",
  "widget.settings.intro":
    "Paste this tag into a page of your site where the search box should appear. It searches this community " +
    "as visitors type and offers to ask the community with what they typed.",
  "widget.settings.origins": "Allowed origins",
  "widget.settings.originsHint":
    "One per line, such as https://help.example.com: scheme, host and port only. Only pages of these origins " +
    "can use the widget.",
  "widget.settings.notOrigins": "Not an origin: {origins}. Write each like https://help.example.com.",
};
