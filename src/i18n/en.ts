/** English messages: the reference catalog. Other languages translate these keys. */
export const en = {
  "app.name": "Crowdservice",
  "nav.skip": "Skip to content",
  "nav.main": "Main",
  "nav.login": "Log in",
  "nav.signup": "Sign up",
  "nav.logout": "Log out",
  "error.title": "Something is not right",
} as const;

export type MessageKey = keyof typeof en;
