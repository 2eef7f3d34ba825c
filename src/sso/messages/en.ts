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
  "sso.failed.code":
    "{provider} did not accept this sign-in: it was already used or took too long. Please start again.",
  "sso.failed.denied": "{provider} did not confirm the sign-in (it was cancelled or refused).",
  "sso.failed.exchange": "We could not complete the sign-in with {provider}. Please try again later.",
  "sso.failed.emailMissing":
    "{provider} did not share your email address, which we need for your account. Allow it there and try again.",
  "sso.failed.emailInvalid":
    "{provider} gave us an email address that cannot receive email, so we cannot link it to an account here " +
    "or create one. Correct the address there first, or log in with your email and password.",
  "sso.failed.emailUnverified":
    "{provider} has not verified your email address, so we cannot link it to an account here or create one. " +
    "Verify the address there first, or log in with your email and password.",
  "sso.failed.emailLinked":
    "The account with this email address is already linked to another {provider} login, so we cannot link " +
    "this one to it. Log in with that one, or with your email and password.",

  "list.ssoSettings": "Single sign-on",
  "sso.settings.title": "Single sign-on",
  "sso.settings.intro":
    "Ask members to log in through your customer account provider before they post or " +
    "apply as a service friend. Staff, moderators and admins are not asked.",
  "sso.settings.noProviders": "No sign-in provider is configured on this installation (OIDC_PROVIDERS).",
  "sso.settings.provider": "Provider whose login counts",
  "sso.settings.anyProvider": "Any configured provider",
  "sso.settings.toPost": "Required to post topics, replies and comments",
  "sso.settings.toApply": "Required to apply as a service friend",
  "sso.settings.claim": "Claim the login must carry",
  "sso.settings.claimHint": "For example customer_number or groups; empty: the login alone is enough.",
  "sso.settings.claimValue": "Value the claim must have",
  "sso.settings.claimValueHint": "For a list such as groups: a value it must contain; empty: any value.",
  "sso.settings.yes": "Yes",
  "sso.settings.no": "No",
  "sso.settings.save": "Save",
  "sso.settings.unknownProvider": "No sign-in provider of that name is configured.",
  "sso.settings.claimNeeded": "Name the claim whose value is checked.",
  "sso.settings.providerFirst": "Configure a sign-in provider (OIDC_PROVIDERS) first.",
  "sso.required.post": "This community asks you to log in with {provider} to post.",
  "sso.required.postClaim":
    "This community asks you to log in with {provider}, with an account that carries {claim}, to post.",
  "sso.required.apply": "This community asks you to log in with {provider} to apply as a service friend.",
  "sso.required.applyClaim":
    "This community asks you to log in with {provider}, with an account that carries {claim}, " +
    "to apply as a service friend.",
};
