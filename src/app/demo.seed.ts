import { seedDemoAvatars, seedDemoMember } from "../accounts/accounts.seed.ts";
import type { Actor, Deps } from "../core/deps.ts";
import type { IdeaStatus, Role, TopicKind, User } from "../db/schema.ts";
import { hashPassword } from "../lib/crypto.ts";
import { createCategory } from "../communities/communities.service.ts";
import { createReply, createTopic, createComment } from "../topics/topics.posting.ts";
import { accept, follow, vote } from "../topics/topics.reactions.ts";
import { DEMO_HELPER_EMAILS, seedMarketplaceDemo } from "../marketplace/marketplace.seed.ts";
import { seedReputationDemo } from "../reputation/reputation.seed.ts";
import { seedInsightsDemo } from "../insights/insights.seed.ts";
import { communityAccess } from "../communities/communities.access.ts";
import { setAllowedOrigins } from "../communities/communities.origins.ts";
import { setIdeaStatus } from "../ideas/ideas.service.ts";
import { castVote, createPoll } from "../polls/polls.service.ts";

export const DEMO_PASSWORD = "demo-password";
/** Where the widget's demo host page (examples/widget-host.html) is served from: see README "Widget". */
export const DEMO_WIDGET_ORIGINS = ["http://127.0.0.1:8080", "http://localhost:8080"];

const PEOPLE: { key: string; name: string; email: string; role: Role }[] = [
  { key: "admin", name: "Dana Admin", email: "admin@demo.test", role: "admin" },
  { key: "staff", name: "Sam (Demo Telecom)", email: "staff@demo.test", role: "staff" },
  { key: "mod", name: "Mo Moderator", email: "moderator@demo.test", role: "moderator" },
  { key: "alice", name: "Alice", email: "alice@demo.test", role: "member" },
  { key: "bob", name: "Bob", email: "bob@demo.test", role: "member" },
  { key: "carla", name: "Carla", email: "carla@demo.test", role: "member" },
];

const CATEGORIES = ["Internet & Wi-Fi", "TV", "Mobile", "Billing"];

interface SampleTopic {
  by: string;
  kind: TopicKind;
  category: number;
  title: string;
  body: string;
  tags: string[];
  replies: {
    by: string;
    body: string;
    votes?: string[];
    downvotes?: string[];
    accepted?: boolean;
    comments?: { by: string; body: string }[];
  }[];
  votes?: string[];
  followers?: string[];
  /** An idea's way through the pipeline, each change by staff. */
  ideaStatus?: { status: IdeaStatus; note?: string }[];
  poll?: { by: string; options: string[]; multiple?: boolean; votes: Record<string, number[]> };
}

const TOPICS: SampleTopic[] = [
  {
    by: "alice",
    kind: "question",
    category: 0,
    title: "Wi-Fi drops every evening around 8 pm",
    body:
      "Since last week my **Wi-Fi** disconnects every evening for a few minutes. The router LEDs stay " +
      "green.\n\nRouter: Internet-Box 3. Anyone else?",
    tags: ["wifi", "router"],
    votes: ["bob", "carla"],
    followers: ["bob", "carla"],
    replies: [
      {
        by: "bob",
        body:
          "Evenings are when neighbours' networks are busiest. Switch the 2.4 GHz band to channel 1, 6 or 11, " +
          "whichever is least used. A free analyser app on your phone shows them.",
        votes: ["alice", "carla", "mod"],
        accepted: true,
        comments: [{ by: "alice", body: "Channel 11 did it, two evenings without a drop. Thanks!" }],
      },
      {
        by: "staff",
        body:
          "Thanks for reporting. We had no outage in your area this week. If changing the channel does not " +
          "help, restart the router from **Settings → System** so it picks a new channel automatically.",
        votes: ["alice"],
      },
      { by: "carla", body: "Same here with the old router; a firmware update fixed it for me.", downvotes: ["mod"] },
    ],
  },
  {
    by: "carla",
    kind: "problem",
    category: 1,
    title: "TV box shows error E-102 after update",
    body: "After last night's update my TV box only shows **E-102** on start. Unplugging did not help.",
    tags: ["tv-box", "error"],
    followers: ["alice"],
    replies: [
      {
        by: "bob",
        body:
          "E-102 means it cannot reach the update server. Check that the network cable is in the LAN port, not " +
          "WAN.",
        votes: ["carla"],
      },
    ],
  },
  {
    by: "bob",
    kind: "idea",
    category: 2,
    title: "Let us share mobile data between family plans",
    body: "It would be great to move unused data from one family member's plan to another's in the app.",
    tags: ["mobile-data", "app"],
    votes: ["alice", "carla", "staff"],
    followers: ["alice", "carla"],
    replies: [{ by: "alice", body: "Yes please! My kids always run out while I have gigabytes left." }],
    ideaStatus: [
      { status: "under_review", note: "Thanks! Our mobile team is looking at how plans could share data." },
      { status: "planned", note: "Family data sharing is planned for the app's spring release." },
    ],
    poll: {
      by: "bob",
      options: ["Move a fixed amount once", "Share one pool every month", "Both"],
      votes: { alice: [1], carla: [2], staff: [1] },
    },
  },
  {
    by: "carla",
    kind: "idea",
    category: 1,
    title: "Dark mode for the TV guide",
    body: "The bright TV guide is hard on the eyes in the evening. A dark theme would be lovely.",
    tags: ["tv-box", "app"],
    votes: ["alice", "bob"],
    followers: ["alice"],
    replies: [],
    ideaStatus: [
      { status: "in_progress" },
      { status: "done", note: "The dark TV guide is out with version 4.2 of the TV box software." },
    ],
  },
  {
    by: "alice",
    kind: "idea",
    category: 0,
    title: "Show data usage per device on the router page",
    body: "I would like to see which device uses how much data, to find the one slowing everything down.",
    tags: ["router", "app"],
    votes: ["bob"],
    replies: [],
    ideaStatus: [{ status: "under_review" }],
  },
  {
    by: "bob",
    kind: "idea",
    category: 3,
    title: "Pay the bill with loyalty points",
    body: "Let customers use loyalty points to pay part of the monthly bill.",
    tags: ["invoice"],
    replies: [],
    ideaStatus: [
      { status: "declined", note: "Loyalty points stay for devices and perks; bills must be paid in full." },
    ],
  },
  {
    by: "carla",
    kind: "idea",
    category: 2,
    title: "Roaming alerts by text message",
    body: "A text message when I start roaming, with the price per day, would avoid surprises.",
    tags: ["mobile", "roaming"],
    votes: ["alice"],
    replies: [],
  },
  {
    by: "alice",
    kind: "praise",
    category: 0,
    title: "Thank you for the quick fibre installation",
    body: "The technician came on time, explained everything and left the place clean. Great service!",
    tags: ["fibre"],
    votes: ["bob"],
    replies: [{ by: "staff", body: "Thank you, Alice! We passed your words on to the installation team." }],
  },
  {
    by: "bob",
    kind: "question",
    category: 3,
    title: "Why is my first bill higher than the monthly price?",
    body: "My first invoice is about twice the monthly price of my plan. Is that normal?",
    tags: ["invoice"],
    replies: [],
  },
  {
    by: "carla",
    kind: "question",
    category: 2,
    title: "How do I activate an eSIM on a new phone?",
    body: "I bought a new phone and want to move my number to an eSIM. Where do I find the QR code?",
    tags: ["esim", "mobile"],
    replies: [
      {
        by: "staff",
        body: "Open the app, go to **Mobile → SIM & eSIM → Order eSIM**. The QR code arrives by email within minutes.",
        votes: ["carla", "bob"],
      },
    ],
  },
];

const asActor = (user: User): Actor => ({
  id: user.id,
  name: user.name,
  email: user.email,
  isPlatformAdmin: false,
  locale: null,
  via: "session",
});

export const DEMO_LOGINS: { email: string; role: string }[] = [
  ...PEOPLE.map((p) => ({ email: p.email, role: p.role })),
  ...DEMO_HELPER_EMAILS.map((email) => ({ email, role: "member, service friend" })),
];

/**
 * Creates the demo community through the product's own use cases when the database is empty.
 * Returns the demo logins while the demo community exists, null otherwise.
 */
export async function seedDemoIfEmpty(deps: Deps): Promise<{ email: string; role: string }[] | null> {
  const existing = await deps.db.selectFrom("communities").select("slug").execute();
  if (existing.length > 0) return existing.some((c) => c.slug === "demo") ? DEMO_LOGINS : null;
  // The seed posts many times in a moment; the demo must not trip its own rate limits.
  const seedDeps: Deps = {
    ...deps,
    config: { ...deps.config, rateLimits: { ...deps.config.rateLimits, post: { max: 1_000_000, windowMs: 60_000 } } },
  };
  const now = deps.clock.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const community = await deps.db
    .insertInto("communities")
    .values({
      slug: "demo",
      name: "Demo Telecom",
      description: "Customers helping customers with Internet, TV and mobile.",
      visibility: "public",
      locale: "en",
      timeZone: "Europe/Zurich",
      createdAt: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const users = new Map<string, User>();
  for (const person of PEOPLE) {
    const user = await seedDemoMember(deps.db, { id: community.id, now, passwordHash }, person);
    users.set(person.key, user);
  }
  const access = (key: string) => communityAccess(seedDeps, { id: community.id }, asActor(users.get(key)!));
  const categories = [];
  for (const [position, name] of CATEGORIES.entries())
    categories.push(await createCategory(seedDeps, await access("admin"), { name, description: "", position }));

  for (const sample of TOPICS) {
    const topic = await createTopic(seedDeps, await access(sample.by), {
      kind: sample.kind,
      title: sample.title,
      body: sample.body,
      tags: sample.tags,
      categoryId: categories[sample.category].id,
    });
    for (const voter of sample.votes ?? []) await vote(seedDeps, "topic", topic.id, asActor(users.get(voter)!), 1);
    for (const follower of sample.followers ?? [])
      await follow(seedDeps, topic.id, asActor(users.get(follower)!), true);
    for (const r of sample.replies) {
      const reply = await createReply(seedDeps, topic.id, asActor(users.get(r.by)!), r.body);
      for (const voter of r.votes ?? []) await vote(seedDeps, "reply", reply.id, asActor(users.get(voter)!), 1);
      for (const voter of r.downvotes ?? []) await vote(seedDeps, "reply", reply.id, asActor(users.get(voter)!), -1);
      for (const c of r.comments ?? []) await createComment(seedDeps, reply.id, asActor(users.get(c.by)!), c.body);
      if (r.accepted) await accept(seedDeps, topic.id, asActor(users.get(sample.by)!), reply.id);
    }
    for (const change of sample.ideaStatus ?? [])
      await setIdeaStatus(seedDeps, topic.id, asActor(users.get("staff")!), {
        status: change.status,
        note: change.note,
      });
    if (sample.poll) {
      const { poll } = await createPoll(seedDeps, topic.id, asActor(users.get(sample.poll.by)!), {
        options: sample.poll.options,
        multiple: sample.poll.multiple ?? false,
      });
      for (const [voter, choices] of Object.entries(sample.poll.votes))
        await castVote(
          seedDeps,
          poll.id,
          asActor(users.get(voter)!),
          choices.map((i) => poll.options[i].id),
        );
    }
  }
  await seedMarketplaceDemo(seedDeps, community.id, passwordHash);
  await seedReputationDemo(seedDeps, community.id, {
    staff: asActor(users.get("staff")!),
    champion: asActor(users.get("bob")!),
  });
  await seedInsightsDemo(
    seedDeps,
    { id: community.id, categoryIds: categories.map((c) => c.id) },
    { staff: users.get("staff")!.id, passwordHash },
  );
  await setAllowedOrigins(seedDeps, await access("admin"), { allowedOrigins: DEMO_WIDGET_ORIGINS });
  const members = await deps.db
    .selectFrom("memberships")
    .select("userId")
    .where("communityId", "=", community.id)
    .orderBy("userId")
    .execute();
  await seedDemoAvatars(
    deps,
    members.map((m) => m.userId),
  );
  return DEMO_LOGINS;
}
