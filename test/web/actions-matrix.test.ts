import { before, test } from "node:test";
import assert from "node:assert/strict";
import {
  addMember,
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { setKudos } from "../reputation/support.ts";
import { getPage } from "./web-helpers.ts";

/**
 * The second permission matrix: the main pages rendered for every kind of standing, and every
 * action they show (a form that posts, a link to a form or a staff page) checked against what the
 * API allows that same viewer: the `abilities` it returns, or the API call itself. A button the
 * API would refuse is a mismatch; an action no rule below knows fails too, so a new button
 * cannot slip past the matrix.
 */
const STANDINGS = [
  "anonymous",
  "visitor",
  "newMember",
  "kudos10",
  "kudos250",
  "kudos500",
  "kudos1000",
  "kudos2000",
  "champion",
  "suspended",
  "moderator",
  "staff",
  "admin",
] as const;
type Standing = (typeof STANDINGS)[number];

const KUDOS: Partial<Record<Standing, number>> = {
  kudos10: 10,
  kudos250: 250,
  kudos500: 500,
  kudos1000: 1000,
  kudos2000: 2000,
};

interface World {
  slug: string;
  admin: TestUser;
  /** The member whose topic and profile every standing looks at. */
  subject: TestUser;
  topicId: number;
  /** The addresses of the topics' pages (with their title slugs). */
  topicUrl: Map<number, string>;
  /** Each signed-in member's own topic (with someone else's reply), to show owner actions. */
  ownTopic: Partial<Record<Standing, number>>;
  /** Which topic each reply belongs to, to read its abilities from the API's topic. */
  replyTopic: Map<number, number>;
  users: Partial<Record<Standing, TestUser>>;
}

async function buildWorld(env: TestEnv): Promise<World> {
  const { community, slug, admin, members } = await buildCommunity(env, { members: { member: 2 } });
  const [subject, replier] = members.member;
  const users: World["users"] = { admin };
  for (const standing of STANDINGS) {
    if (standing === "anonymous" || standing === "admin") continue;
    const user = await buildUser(env, { name: standing });
    const role = standing === "moderator" || standing === "staff" ? standing : "member";
    if (standing !== "visitor") await addMember(env, community.id, user.id, role);
    users[standing] = user;
  }
  const replyTopic = new Map<number, number>();
  const topic = await buildTopic(env, slug, subject, { tags: ["router"] });
  const reply = await buildReply(env, topic.id, replier);
  replyTopic.set(reply.id, topic.id);
  const ownTopic: World["ownTopic"] = {};
  const topicUrl = new Map<number, string>([[topic.id, topic.url]]);
  for (const [standing, user] of Object.entries(users) as [Standing, TestUser][]) {
    if (standing === "visitor") continue;
    const own = await buildTopic(env, slug, user, { title: `The own question of ${standing}` });
    replyTopic.set((await buildReply(env, own.id, replier, `Restart it, ${standing}: hold the button.`)).id, own.id);
    ownTopic[standing] = own.id;
    topicUrl.set(own.id, own.url);
  }
  // Something in the review queue, so its action forms show.
  const flag = await env.api.post(`/api/v1/posts/reply/${reply.id}/flags`, { reason: "spam" }, subject.auth);
  assert.equal(flag.status, 201, JSON.stringify(flag.body));
  for (const [standing, kudos] of Object.entries(KUDOS))
    await setKudos(env, community.id, users[standing as Standing]!.id, kudos);
  const champion = await env.api.put(
    `/api/v1/communities/${slug}/members/${users.champion!.id}/champion`,
    { champion: true },
    admin.auth,
  );
  assert.equal(champion.status, 200, JSON.stringify(champion.body));
  const suspension = await env.api.put(
    `/api/v1/communities/${slug}/members/${users.suspended!.id}/suspension`,
    { days: 7, reason: "Spam in three topics" },
    admin.auth,
  );
  assert.equal(suspension.status, 200, JSON.stringify(suspension.body));
  return { slug, admin, subject, topicId: topic.id, topicUrl, ownTopic, replyTopic, users };
}

/** One viewer's API: GETs remembered (the abilities do not change while pages are checked). */
function viewerApi(env: TestEnv, user: TestUser | undefined) {
  const cache = new Map<string, Promise<{ status: number; body: any }>>();
  const auth = user ? user.auth : null;
  const get = (url: string) => {
    if (!cache.has(url)) cache.set(url, env.api.get(url, auth));
    return cache.get(url)!;
  };
  /** The API answers this read with 2xx: the viewer may see what the linked page shows. */
  const reads = async (url: string) => (await get(url)).status < 300;
  const body = async (url: string) => {
    const res = await get(url);
    assert.ok(res.status < 300, `GET ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return { auth, get, reads, body };
}

type Viewer = ReturnType<typeof viewerApi> & { env: TestEnv; world: World; standing: Standing };

/** Decides whether the API allows the action; `m` is the match of the rule's pattern on the action's path. */
type Check = (v: Viewer, m: RegExpMatchArray) => Promise<boolean>;

const listAbility =
  (name: string): Check =>
  async (v) =>
    (await v.body(`/api/v1/communities/${v.world.slug}/topics`)).abilities[name] === true;
const topicAbility =
  (...names: string[]): Check =>
  async (v, m) => {
    const { abilities } = (await v.body(`/api/v1/topics/${m[1]}`)).topic;
    return names.some((name) => abilities[name] === true);
  };
async function replyAbilities(v: Viewer, replyId: number) {
  const topicId = v.world.replyTopic.get(replyId);
  assert.ok(topicId, `reply ${replyId} is one the world built`);
  const { replies } = await v.body(`/api/v1/topics/${topicId}`);
  return replies.find((r: { id: number }) => r.id === replyId).abilities;
}
const replyAbility =
  (name: string): Check =>
  async (v, m) =>
    (await replyAbilities(v, Number(m[1])))[name] === true;
const postAbility =
  (name: string): Check =>
  async (v, m) =>
    m[1] === "topic"
      ? (await v.body(`/api/v1/topics/${m[2]}`)).topic.abilities[name] === true
      : (await replyAbilities(v, Number(m[2])))[name] === true;
const apiReads =
  (url: (v: Viewer, m: RegExpMatchArray) => string): Check =>
  (v, m) =>
    v.reads(url(v, m));
/** A member-only page: anonymous visitors are asked to log in (401), everyone else gets it. */
const memberPage: Check = async (v, m) => {
  const user = v.world.users[v.standing];
  const status = (await getPage(v.env, m[0], user)).status;
  return user ? status === 200 : status === 401;
};
/** Moderation of a member has no ability in the API: call it, then undo what it did. */
const moderatesMembers =
  (action: "suspend" | "warn"): Check =>
  async (v, m) => {
    const base = `/api/v1/communities/${v.world.slug}/members/${m[1]}`;
    if (action === "warn")
      return (await v.env.api.post(`${base}/warnings`, { reason: "Matrix check" }, v.auth)).status < 300;
    const done = await v.env.api.put(`${base}/suspension`, { days: 1, reason: "Matrix check" }, v.auth);
    if (done.status >= 300) return false;
    assert.equal((await v.env.api.delete(`${base}/suspension`, v.auth)).status, 200);
    return true;
  };

/** Removing or banning a member: call it, then undo it (lift the ban, the admin adds them back). */
const removesMembers =
  (action: "remove" | "ban"): Check =>
  async (v, m) => {
    const base = `/api/v1/communities/${v.world.slug}/members/${m[1]}`;
    const done =
      action === "ban"
        ? await v.env.api.put(`${base}/ban`, { reason: "Matrix check" }, v.auth)
        : await v.env.api.delete(base, v.auth);
    if (done.status >= 300) return false;
    if (action === "ban") assert.equal((await v.env.api.delete(`${base}/ban`, v.auth)).status, 200);
    assert.equal((await v.env.api.put(base, { role: "member" }, v.world.admin.auth)).status, 200);
    return true;
  };

const S = "/c/[a-z0-9-]+";
const ID = "(\\d+)";

/** Forms that post, by action path. */
const FORM_RULES: [RegExp, Check][] = [
  [new RegExp(`^${S}/join$`), listAbility("join")],
  [new RegExp(`^${S}/new$`), listAbility("post")],
  [new RegExp(`^${S}/t/${ID}/vote$`), topicAbility("vote")],
  [new RegExp(`^${S}/t/${ID}/(?:follow|unfollow)$`), topicAbility("follow")],
  [new RegExp(`^${S}/t/${ID}/reply$`), topicAbility("reply")],
  [new RegExp(`^${S}/t/${ID}/comment$`), topicAbility("comment")],
  [new RegExp(`^${S}/t/${ID}/(?:accept|unaccept)$`), topicAbility("accept")],
  [new RegExp(`^${S}/t/${ID}/(?:lock|unlock)$`), topicAbility("lock")],
  [new RegExp(`^${S}/t/${ID}/move$`), topicAbility("move")],
  [new RegExp(`^${S}/t/${ID}/merge$`), topicAbility("merge")],
  [new RegExp(`^${S}/r/${ID}/vote$`), replyAbility("vote")],
  [new RegExp(`^${S}/r/${ID}/comment$`), replyAbility("comment")],
  [new RegExp(`^${S}/posts/(topic|reply)/${ID}/flag$`), postAbility("flag")],
  [new RegExp(`^${S}/posts/(topic|reply)/${ID}/(?:hide|restore)$`), postAbility("hide")],
  [
    new RegExp(`^${S}/u/${ID}/champion$`),
    async (v, m) =>
      (await v.body(`/api/v1/communities/${v.world.slug}/members/${m[1]}/profile`)).profile.abilities.champion === true,
  ],
  [new RegExp(`^${S}/u/${ID}/(?:suspend|unsuspend)$`), moderatesMembers("suspend")],
  [new RegExp(`^${S}/u/${ID}/warn$`), moderatesMembers("warn")],
  [new RegExp(`^${S}/u/${ID}/remove$`), removesMembers("remove")],
  [new RegExp(`^${S}/u/${ID}/ban$`), removesMembers("ban")],
  [new RegExp(`^${S}/review-queue/${ID}$`), apiReads((v) => `/api/v1/communities/${v.world.slug}/review-queue`)],
  [new RegExp(`^${S}/members/${ID}$`), listAbility("manage")],
  [
    new RegExp(`^${S}/rewards$`),
    async (v) => (await v.body(`/api/v1/communities/${v.world.slug}/rewards`)).abilities.manage === true,
  ],
];

/** Links to forms and to pages for some standings only. */
const LINK_RULES: [RegExp, Check][] = [
  [new RegExp(`^${S}/new$`), listAbility("post")],
  // The full edit page, or its tags-only form for members who may retag but not edit.
  [new RegExp(`^${S}/t/${ID}/edit$`), topicAbility("edit", "retag")],
  [new RegExp(`^${S}/t/${ID}/moderate$`), topicAbility("lock", "move", "merge", "hide")],
  [new RegExp(`^${S}/t/${ID}/case$`), apiReads((_, m) => `/api/v1/topics/${m[1]}/case`)],
  // Adding a poll has no ability in the API: the form page itself answers 200 only to who may.
  [
    new RegExp(`^${S}/t/${ID}/poll$`),
    async (v, m) => (await getPage(v.env, m[0], v.world.users[v.standing])).status === 200,
  ],
  [new RegExp(`^${S}/r/${ID}/edit$`), replyAbility("edit")],
  [new RegExp(`^${S}/members$`), listAbility("manage")],
  [new RegExp(`^${S}/staff$`), listAbility("staff")],
  [new RegExp(`^${S}/admin/support$`), listAbility("support")],
  [new RegExp(`^${S}/review-queue$`), listAbility("reviewQueue")],
  [new RegExp(`^${S}/audit$`), listAbility("auditLog")],
  [new RegExp(`^${S}/insights$`), apiReads((v) => `/api/v1/communities/${v.world.slug}/insights`)],
  [new RegExp(`^${S}/settings$`), listAbility("configure")],
  [new RegExp(`^${S}/u/${ID}/kudos$`), apiReads((v, m) => `/api/v1/communities/${v.world.slug}/members/${m[1]}/kudos`)],
  [
    new RegExp(`^${S}/kb/new$`),
    async (v) => (await v.body(`/api/v1/communities/${v.world.slug}/articles`)).abilities.write === true,
  ],
  [
    new RegExp(`^${S}/academy/new$`),
    async (v) => (await v.body(`/api/v1/communities/${v.world.slug}/courses`)).abilities.create === true,
  ],
  [
    new RegExp(`^${S}/service-friends/staff$`),
    apiReads((v) => `/api/v1/communities/${v.world.slug}/helper-applications?status=pending`),
  ],
  [new RegExp(`^${S}/service-friends/(?:request|mine|apply)$`), memberPage],
  [/^\/me\/questions-for-you$/, apiReads(() => "/api/v1/me/questions-for-you")],
];

/** Links that only read what the page's viewer already sees: not actions. */
const NAVIGATION = [
  /^\/$/,
  /^\/(?:login|signup)(?:\?|$)/,
  new RegExp(`^${S}$`),
  new RegExp(`^${S}/t/\\d+(?:/history)?$`),
  // A topic's canonical address ends in its title slug, which is never one of its pages' names.
  new RegExp(`^${S}/t/\\d+/(?!(?:poll|edit|moderate|case|history|idea-status)$)[a-z0-9-]+$`),
  new RegExp(`^${S}/ideas$`),
  new RegExp(`^${S}/r/\\d+/history$`),
  new RegExp(`^${S}/u/\\d+$`),
  new RegExp(`^${S}/(?:leaderboard|rewards|search|kb|academy|service-friends|review-queue|staff|categories)$`),
  new RegExp(`^${S}/(?:kb|academy|helpers)/\\d+$`),
];

interface Action {
  kind: "form" | "link";
  path: string;
}

/** The actions in a page's main content (the layout's search box and logout are the same on every page). */
function actionsOf(body: string): Action[] {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(body)?.[1] ?? "";
  const decode = (s: string) => s.replaceAll("&amp;", "&");
  const actions: Action[] = [];
  for (const [tag] of main.matchAll(/<form\b[^>]*>/g)) {
    if (!/method="post"/i.test(tag)) continue;
    actions.push({ kind: "form", path: decode(/action="([^"]*)"/.exec(tag)?.[1] ?? "") });
  }
  for (const [, href] of main.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)) {
    const path = decode(href).replace(/[?#].*$/, "");
    if (href.startsWith("#") || NAVIGATION.some((n) => n.test(path))) continue;
    actions.push({ kind: "link", path });
  }
  return actions;
}

function pagesFor(world: World, standing: Standing): string[] {
  const base = `/c/${world.slug}`;
  const own = world.ownTopic[standing];
  return [
    base,
    world.topicUrl.get(world.topicId)!,
    ...(own ? [world.topicUrl.get(own)!] : []),
    `${base}/new`,
    `${base}/u/${world.subject.id}`,
    `${base}/t/${world.topicId}/moderate`,
    `${base}/review-queue`,
    `${base}/service-friends`,
    `${base}/academy`,
    `${base}/kb`,
    `${base}/rewards`,
  ];
}

describeEachDatabase("every action a page shows is one the API allows, for every standing", (env) => {
  let world: World;
  before(async () => {
    world = await buildWorld(env());
  });

  for (const standing of STANDINGS) {
    test(standing, async () => {
      const user = world.users[standing];
      const viewer: Viewer = { ...viewerApi(env(), user), env: env(), world, standing };
      const problems: string[] = [];
      let shown = 0;
      for (const url of pagesFor(world, standing)) {
        let page = await getPage(env(), url, user ?? null);
        // A topic's short address redirects to its canonical one, with the title slug.
        if (page.status === 301) page = await getPage(env(), String(page.headers.location), user ?? null);
        assert.ok([200, 401, 403].includes(page.status), `${url}: ${page.status}`);
        for (const action of actionsOf(page.body)) {
          const rules = action.kind === "form" ? FORM_RULES : LINK_RULES;
          const rule = rules.find(([pattern]) => pattern.test(action.path));
          if (!rule) {
            problems.push(`${url} shows a ${action.kind} ${action.path} that no rule of the matrix knows`);
            continue;
          }
          shown += 1;
          if (!(await rule[1](viewer, action.path.match(rule[0])!)))
            problems.push(`${url} shows a ${action.kind} ${action.path} the API refuses`);
        }
      }
      assert.deepEqual(problems, []);
      if (standing !== "anonymous") assert.ok(shown > 0, "signed-in viewers are offered something");
    });
  }
});
