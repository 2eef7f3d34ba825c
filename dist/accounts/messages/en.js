/** The accounts domain's messages in English: the reference the other languages translate. */
export const en = {
    "account.name": "Display name",
    "account.nameHint": "Shown next to your posts.",
    "account.email": "Email",
    "account.password": "Password",
    "account.passwordHint": "At least {min} characters.",
    "account.locale": "Language",
    "login.title": "Log in",
    "login.submit": "Log in",
    "login.failed": "Email or password is incorrect.",
    "login.noAccount": "New here?",
    "signup.title": "Create your account",
    "signup.submit": "Sign up",
    "signup.emailTaken": "An account with this email already exists. Log in instead?",
    "signup.haveAccount": "Already have an account?",
};
