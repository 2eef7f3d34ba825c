import path from "node:path";
/** Limits that both the HTML forms and the API schemas use. */
export const LIMITS = {
    titleMin: 8,
    titleMax: 200,
    bodyMax: 50_000,
    commentMax: 2_000,
    nameMax: 80,
    passwordMin: 8,
    passwordMax: 200,
    tagsMax: 5,
    tagMax: 30,
    pageSize: 20,
    pageSizeMax: 100,
    /** Ids are 32-bit integers on PostgreSQL (serial); a larger one is refused before it reaches a query. */
    idMax: 2_147_483_647,
};
function intFromEnv(env, name, fallback) {
    const raw = env[name];
    if (raw === undefined || raw === "")
        return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0)
        throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
    return value;
}
function boolFromEnv(env, name, fallback) {
    const raw = env[name];
    if (raw === undefined || raw === "")
        return fallback;
    if (["1", "true", "yes"].includes(raw.toLowerCase()))
        return true;
    if (["0", "false", "no"].includes(raw.toLowerCase()))
        return false;
    throw new Error(`${name} must be true or false, got "${raw}"`);
}
export function loadConfig(env = process.env) {
    const port = intFromEnv(env, "PORT", 3000);
    const host = env.HOST || "127.0.0.1";
    return {
        port,
        host,
        dataDir: path.resolve(env.DATA_DIR || "./data"),
        databaseUrl: env.DATABASE_URL || undefined,
        databaseSchema: env.DATABASE_SCHEMA || undefined,
        baseUrl: (env.BASE_URL || `http://${host}:${port}`).replace(/\/$/, ""),
        secureCookies: boolFromEnv(env, "SECURE_COOKIES", false),
        adminEmail: env.ADMIN_EMAIL || undefined,
        adminPassword: env.ADMIN_PASSWORD || undefined,
        seedDemo: boolFromEnv(env, "SEED_DEMO", true),
        logLevel: env.LOG_LEVEL || "info",
        smtpUrl: env.SMTP_URL || undefined,
        mailFrom: env.MAIL_FROM || "Crowdservice <no-reply@crowdservice.local>",
        pageCacheMb: intFromEnv(env, "PAGE_CACHE_MB", 32),
        rateLimits: {
            login: { max: intFromEnv(env, "RATE_LIMIT_LOGIN", 10), windowMs: 60_000 },
            signup: { max: intFromEnv(env, "RATE_LIMIT_SIGNUP", 10), windowMs: 60 * 60_000 },
            post: { max: intFromEnv(env, "RATE_LIMIT_POST", 30), windowMs: 60_000 },
        },
    };
}
