/** The single sign-on domain's messages in English: the reference the other languages translate. */
export const en = {
  "sso.or": "Or use an account you already have:",
  "sso.loginWith": "Log in with {provider}",
  "sso.loginWithAria": "Single sign-on",
  "sso.tryAgain": "Log in with {provider} again",
  "sso.passwordLogin": "Log in with email and password",

  "sso.failed.title": "Single sign-on did not log you in",
  "sso.failed.state":
    "This answer from {provider} does not belong to a sign-in started in this browser, or it took too long. " +
    "Please start again.",
  "sso.failed.nonce": "The identity token from {provider} was not issued for this sign-in. Please start again.",
  "sso.failed.denied": "{provider} did not confirm the sign-in (it was cancelled or refused).",
  "sso.failed.exchange": "We could not complete the sign-in with {provider}. Please try again later.",
  "sso.failed.emailMissing":
    "{provider} did not share your email address, which we need for your account. " +
    "Allow it at {provider} and try again.",
  "sso.failed.emailUnverified":
    "{provider} has not verified your email address, so we cannot link it to an account here or create one. " +
    "Verify the address at {provider} first, or log in with your email and password.",
};
