import type { Actor, Deps } from "../core/deps.ts";
import type { User } from "../db/schema.ts";
import { createCourse, submitAttempt } from "../academy/index.ts";
import { seedDemoMember } from "../accounts/index.ts";
import { apply, decide } from "./applications.service.ts";
import { createOffer, createService } from "./catalog.service.ts";
import { acceptBooking, completeBooking, confirmPayment, requestBooking } from "./bookings.service.ts";
import { createReview } from "./reviews.service.ts";
import { communityAccess } from "../communities/index.ts";
import { loadSharp } from "../storage/images.ts";

const DAY = 24 * 3600_000;
const ALL_WEEK = [1, 2, 3, 4, 5, 6].map((day) => ({ day, start: "08:00", end: "19:00" }));

const HELPERS = [
  {
    email: "hanna@demo.test",
    name: "Hanna",
    realName: "Hanna Keller",
    postalCode: "8004",
    colour: "#2f6fdf",
    bio: "Retired TV technician. I set up TV boxes, recorders and streaming sticks, and explain them patiently.",
  },
  {
    email: "luca@demo.test",
    name: "Luca",
    realName: "Luca Bernasconi",
    postalCode: "8050",
    colour: "#1a7f37",
    bio: "Student of computer science. Wi-Fi that reaches every room, printers, new phones: I will sort it out.",
  },
];

const REVIEWS = [
  {
    helper: 0,
    customer: "alice@demo.test",
    offer: 0,
    rating: 5,
    text: "Hanna came on time and the TV box worked in ten minutes. She even showed my mother how to record.",
  },
  {
    helper: 1,
    customer: "bob@demo.test",
    offer: 1,
    rating: 4,
    text: "Wi-Fi now reaches the bedroom. Took a bit longer than planned, but Luca explained everything.",
  },
  {
    helper: 0,
    customer: "carla@demo.test",
    offer: 0,
    rating: 5,
    text: "Fixed the E-102 error that the forum could not solve for me. Friendly and quick.",
  },
];

const asActor = (u: User): Actor => ({
  id: u.id,
  name: u.name,
  email: u.email,
  isPlatformAdmin: false,
  locale: null,
  via: "session",
});

/**
 * The demo community's service friends, through the marketplace's own use cases: a questionnaire,
 * a catalog, two approved helpers with offers, and completed, paid and reviewed bookings.
 * Logins: hanna@demo.test and luca@demo.test (the demo password).
 */
/** The demo's service friends, for the start-up banner. */
export const DEMO_HELPER_EMAILS = HELPERS.map((h) => h.email);

export async function seedMarketplaceDemo(deps: Deps, communityId: number, passwordHash: string): Promise<void> {
  const now = deps.clock.now();
  const user = (email: string) =>
    deps.db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
  const admin = asActor(await user("admin@demo.test"));
  const adminAccess = await communityAccess(deps, { id: communityId }, admin);
  const categories = await deps.db
    .selectFrom("categories")
    .select(["id", "name"])
    .where("communityId", "=", communityId)
    .execute();
  const categoryId = (name: string) => categories.find((c) => c.name === name)?.id ?? null;

  const course = await createCourse(deps, adminAccess, {
    title: "TV basics",
    description: "What every service friend setting up a TV box must know.",
    passMark: 100,
    maxAttempts: 3,
    cooldownMinutes: 30,
    validityDays: 730,
    showMistakes: true,
    lessons: [
      {
        title: "Cables and ports",
        body: "The **network cable** goes into the LAN port of the router, the **HDMI** cable into the TV.",
      },
    ],
    questions: [
      {
        text: "Where does the TV box's network cable go?",
        kind: "single",
        options: [
          { text: "A LAN port of the router", correct: true },
          { text: "The WAN port", correct: false },
        ],
      },
    ],
  });
  const services = [
    await createService(deps, adminAccess, {
      name: "TV set-up",
      description: "Connect a TV box and set up the channels.",
      maxPrice: 8000,
      requiredCourseId: course.id,
      categoryId: categoryId("TV"),
    }),
    await createService(deps, adminAccess, {
      name: "Wi-Fi and network",
      description: "Better Wi-Fi coverage, mesh, printers.",
      maxPrice: 9000,
      requiredCourseId: null,
      categoryId: categoryId("Internet & Wi-Fi"),
    }),
    await createService(deps, adminAccess, {
      name: "Smartphone set-up",
      description: "Move contacts and apps, set up eSIM.",
      maxPrice: 6000,
      requiredCourseId: null,
      categoryId: categoryId("Mobile"),
    }),
  ];

  const helpers: Actor[] = [];
  for (const h of HELPERS) {
    const row = await seedDemoMember(deps.db, { id: communityId, now, passwordHash }, { ...h, role: "member" });
    const actor = asActor(row);
    const question = course.questions[0];
    await submitAttempt(deps, course.id, actor, {
      answers: [{ questionId: question.id, optionIds: [question.options[0].id] }],
    });
    const sharp = await loadSharp();
    const photo = await sharp({ create: { width: 256, height: 256, channels: 3, background: h.colour } })
      .png()
      .toBuffer();
    const application = await apply(
      deps,
      await communityAccess(deps, { id: communityId }, actor),
      { realName: h.realName, postalCode: h.postalCode, phone: "+41 79 000 00 00", bio: h.bio, acceptConduct: true },
      photo,
    );
    await decide(deps, application.id, admin, { decision: "approve", reason: "" });
    helpers.push(actor);
  }
  const memberAccess = (actor: Actor) => communityAccess(deps, { id: communityId }, actor);
  const offers = [
    await createOffer(deps, await memberAccess(helpers[0]), {
      serviceId: services[0].id,
      price: 6000,
      priceUnit: "fixed",
      postalCodes: [],
      place: { postalCode: "8004", radiusKm: 15 },
      availability: ALL_WEEK,
    }),
    await createOffer(deps, await memberAccess(helpers[1]), {
      serviceId: services[1].id,
      price: 3500,
      priceUnit: "hour",
      postalCodes: ["8050", "8001", "8600"],
      place: null,
      availability: ALL_WEEK,
    }),
    await createOffer(deps, await memberAccess(helpers[1]), {
      serviceId: services[2].id,
      price: 4000,
      priceUnit: "fixed",
      postalCodes: [],
      place: { postalCode: "8050", radiusKm: 10 },
      availability: ALL_WEEK,
    }),
  ];

  // Bookings made two weeks ago for last week, then completed, paid and reviewed today.
  const past: Deps = { ...deps, clock: { now: () => now - 14 * DAY } };
  const days = demoBookingDays(now, REVIEWS.length);
  for (const [i, r] of REVIEWS.entries()) {
    const customer = asActor(await user(r.customer));
    const day = days[i];
    const booking = await requestBooking(past, offers[r.offer].id, customer, {
      startsAt: Date.parse(`${day}T09:00:00Z`),
      endsAt: Date.parse(`${day}T10:30:00Z`),
      description: "Please help me set this up.",
      address: "Demo Street 1, 8004 Zürich",
      phone: "+41 44 000 00 00",
    });
    await acceptBooking(past, booking.id, helpers[r.helper]);
    await completeBooking(deps, booking.id, helpers[r.helper], { method: i % 2 ? "invoice" : "cash" });
    await confirmPayment(deps, booking.id, customer);
    await createReview(deps, booking.id, customer, { rating: r.rating, text: r.text });
  }
}

/**
 * The last `count` days before `now` (oldest first, as YYYY-MM-DD) on which the demo offers are
 * available, so a booking at 09:00 UTC (10:00 or 11:00 in Zurich, the same day) is accepted
 * whatever day the demo is seeded on: a fixed "a week ago" fell on a Sunday, which no offer has.
 */
export function demoBookingDays(now: number, count: number): string[] {
  const days: string[] = [];
  for (let back = 1; days.length < count; back++) {
    const date = new Date(now - back * DAY);
    if (ALL_WEEK.some((slot) => slot.day === date.getUTCDay())) days.unshift(date.toISOString().slice(0, 10));
  }
  return days;
}
