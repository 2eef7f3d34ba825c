import net from "node:net";
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
  /** Open live streams (Server-Sent Events) per account and per client address, on each instance. */
  liveStreamsPerAccount: 8,
  liveStreamsPerIp: 32,
} as const;

export interface RateLimit {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

/**
 * Which proxies in front of the app may say who the client is (X-Forwarded-For): none, the
 * nearest N hops, or the proxies at these addresses and networks.
 */
export type TrustProxy = false | number | string[];

/**
 * An OpenID Connect provider members may log in with (OIDC_PROVIDERS). `name` is the path segment of
 * /auth/oidc/:provider; the client is registered at the provider with the redirect URI
 * BASE_URL/auth/oidc/<name>/callback.
 */
export interface OidcProviderConfig {
  name: string;
  /** Shown on the login page: "Log in with <label>". */
  label: string;
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE only). */
  clientSecret?: string;
  /** Space-separated scopes asked for; "openid email profile" unless set. */
  scopes: string;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; SQLite in dataDir when absent. */
  databaseUrl?: string;
  /** Database schema to use on PostgreSQL (tests use one per run). */
  databaseSchema?: string;
  /** Public base URL used in links (emails, OpenAPI servers). */
  baseUrl: string;
  /** Mark cookies Secure (set when served over HTTPS). */
  secureCookies: boolean;
  adminEmail?: string;
  adminPassword?: string;
  /** Create the demo community on first start with an empty database. */
  seedDemo: boolean;
  logLevel: string;
  /** smtp:// or smtps:// URL of the mail server; without it emails go to DATA_DIR/outbox as .eml files. */
  smtpUrl?: string;
  /** Sender address of notification emails. */
  mailFrom: string;
  /** Bearer token that GET /metrics requires; without it the endpoint is off (404). */
  metricsToken?: string;
  /** /readyz fails when the oldest due job has waited longer than this (the worker is stuck or gone). */
  readyMaxJobLagMs: number;
  /** How often an open live stream sends a keep-alive and re-checks its viewer's access. */
  liveHeartbeatMs: number;
  trustProxy: TrustProxy;
  /** Let webhooks reach loopback and private addresses (an on-premises help desk); off by default (SSRF). */
  webhookAllowPrivateNetworks: boolean;
  /** Memory for rendered anonymous pages, in megabytes; 0 turns the page cache off. */
  pageCacheMb: number;
  /** SQLite's page cache, in megabytes; unset: SQLITE_CACHE_MB of db/database.ts. */
  sqliteCacheMb?: number;
  /** Single sign-on providers, from OIDC_PROVIDERS (a JSON array); none by default. */
  oidcProviders: OidcProviderConfig[];
  rateLimits: {
    login: RateLimit;
    signup: RateLimit;
    post: RateLimit;
    /** Password-reset requests per IP. */
    passwordReset: RateLimit;
  };
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  // Digits only: Number() reads " " as 0 (a blank login limit refusing every login) and "0x1F90" as 8080.
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

function boolFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes"].includes(raw.toLowerCase())) return true;
  if (["0", "false", "no"].includes(raw.toLowerCase())) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function isAddressOrNetwork(value: string): boolean {
  const [address, prefix, ...rest] = value.split("/");
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * "true" trusts only the nearest proxy (trusting every hop would let a client choose its own IP
 * with X-Forwarded-For); a number trusts that many hops; a list trusts those addresses.
 */
function trustProxyFromEnv(env: NodeJS.ProcessEnv): TrustProxy {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || raw === "false" || raw === "0") return false;
  if (raw === "true") return 1;
  if (/^\d+$/.test(raw)) return Number(raw);
  const list = raw.split(",").map((item) => item.trim());
  if (list.every(isAddressOrNetwork)) return list;
  throw new Error(
    "TRUST_PROXY must be a number of proxy hops or a comma-separated list of proxy addresses or networks " +
      `(10.0.0.0/8), got "${raw}"`,
  );
}

/**
 * The public address that links in emails, feeds and the OpenAPI document start with: an http(s)
 * URL without credentials, query or fragment (a path is kept, for a proxy serving the app under one).
 * Unset, the address the server listens on (an IPv6 host in brackets).
 */
function baseUrlFromEnv(env: NodeJS.ProcessEnv, host: string, port: number): string {
  const raw = env.BASE_URL?.trim();
  if (!raw) return `http://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  const valid =
    url !== undefined &&
    (url.protocol === "http:" || url.protocol === "https:") &&
    !url.username &&
    !url.password &&
    !url.search &&
    !url.hash &&
    !raw.endsWith("?") &&
    !raw.endsWith("#");
  if (!valid)
    throw new Error(`BASE_URL must be an http:// or https:// address such as https://help.example.com, got "${raw}"`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

const PROVIDER_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const nonEmpty = (value: unknown): value is string => typeof value === "string" && value.trim() !== "";

/** OIDC_PROVIDERS: `[{"name","label","issuer","clientId","clientSecret"?,"scopes"?}]`. */
function oidcProvidersFromEnv(env: NodeJS.ProcessEnv): OidcProviderConfig[] {
  const raw = env.OIDC_PROVIDERS?.trim();
  if (!raw) return [];
  const fail = (why: string): never => {
    throw new Error(
      `OIDC_PROVIDERS must be a JSON array of {name,label,issuer,clientId,clientSecret?,scopes?}: ${why}`,
    );
  };
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    fail("not JSON");
  }
  if (!Array.isArray(list)) return fail("not an array");
  const providers = list.map((item: Record<string, unknown>, index): OidcProviderConfig => {
    if (typeof item?.name !== "string" || !PROVIDER_NAME.test(item.name))
      fail(`entry ${index} needs a name of a-z0-9-`);
    for (const key of ["label", "issuer", "clientId"]) if (!nonEmpty(item[key])) fail(`entry ${index} needs ${key}`);
    if (!URL.canParse(item.issuer as string)) fail(`entry ${index} has an issuer that is not a URL`);
    return {
      name: item.name as string,
      label: item.label as string,
      issuer: item.issuer as string,
      clientId: item.clientId as string,
      ...(nonEmpty(item.clientSecret) ? { clientSecret: item.clientSecret } : {}),
      scopes: nonEmpty(item.scopes) ? item.scopes : "openid email profile",
    };
  });
  if (new Set(providers.map((p) => p.name)).size !== providers.length) fail("two entries share a name");
  return providers;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = intFromEnv(env, "PORT", 3000);
  const host = env.HOST || "127.0.0.1";
  return {
    port,
    host,
    dataDir: path.resolve(env.DATA_DIR || "./data"),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    baseUrl: baseUrlFromEnv(env, host, port),
    secureCookies: boolFromEnv(env, "SECURE_COOKIES", false),
    adminEmail: env.ADMIN_EMAIL || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    seedDemo: boolFromEnv(env, "SEED_DEMO", true),
    logLevel: env.LOG_LEVEL || "info",
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || "Crowdservice <no-reply@crowdservice.local>",
    metricsToken: env.METRICS_TOKEN || undefined,
    readyMaxJobLagMs: intFromEnv(env, "READY_MAX_JOB_LAG_MS", 5 * 60_000),
    liveHeartbeatMs: intFromEnv(env, "LIVE_HEARTBEAT_MS", 25_000),
    trustProxy: trustProxyFromEnv(env),
    webhookAllowPrivateNetworks: boolFromEnv(env, "WEBHOOK_ALLOW_PRIVATE_NETWORKS", false),
    pageCacheMb: intFromEnv(env, "PAGE_CACHE_MB", 32),
    sqliteCacheMb: env.SQLITE_CACHE_MB ? intFromEnv(env, "SQLITE_CACHE_MB", 0) : undefined,
    oidcProviders: oidcProvidersFromEnv(env),
    rateLimits: {
      login: { max: intFromEnv(env, "RATE_LIMIT_LOGIN", 10), windowMs: 60_000 },
      signup: { max: intFromEnv(env, "RATE_LIMIT_SIGNUP", 10), windowMs: 60 * 60_000 },
      post: { max: intFromEnv(env, "RATE_LIMIT_POST", 30), windowMs: 60_000 },
      passwordReset: { max: intFromEnv(env, "RATE_LIMIT_PASSWORD_RESET", 10), windowMs: 60 * 60_000 },
    },
  };
}
