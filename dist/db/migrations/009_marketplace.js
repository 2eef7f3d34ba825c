import { withId } from "./008_academy.js";
/**
 * Swiss postal codes with the coordinates of their place (WGS84), enough to compute service
 * distances in the demo country. More rows can be added without code changes; a postal code not
 * listed here is still served by offers that list it explicitly.
 */
const POSTAL_PLACES = [
    ["1003", "Lausanne", 46.52, 6.632],
    ["1201", "Genève", 46.21, 6.143],
    ["1203", "Genève", 46.207, 6.128],
    ["1400", "Yverdon-les-Bains", 46.778, 6.641],
    ["1700", "Fribourg", 46.806, 7.161],
    ["1800", "Vevey", 46.461, 6.843],
    ["1950", "Sion", 46.233, 7.36],
    ["2000", "Neuchâtel", 46.992, 6.931],
    ["2500", "Biel/Bienne", 47.137, 7.247],
    ["3011", "Bern", 46.947, 7.444],
    ["3012", "Bern", 46.959, 7.435],
    ["3600", "Thun", 46.758, 7.628],
    ["3900", "Brig", 46.316, 7.988],
    ["4001", "Basel", 47.558, 7.588],
    ["4051", "Basel", 47.554, 7.585],
    ["4410", "Liestal", 47.484, 7.734],
    ["4500", "Solothurn", 47.208, 7.537],
    ["5000", "Aarau", 47.392, 8.044],
    ["5400", "Baden", 47.473, 8.308],
    ["6003", "Luzern", 47.05, 8.309],
    ["6300", "Zug", 47.166, 8.516],
    ["6500", "Bellinzona", 46.195, 9.023],
    ["6600", "Locarno", 46.17, 8.799],
    ["6900", "Lugano", 46.004, 8.951],
    ["7000", "Chur", 46.85, 9.532],
    ["8001", "Zürich", 47.372, 8.542],
    ["8002", "Zürich", 47.364, 8.531],
    ["8004", "Zürich", 47.376, 8.523],
    ["8005", "Zürich", 47.386, 8.52],
    ["8050", "Zürich", 47.411, 8.544],
    ["8200", "Schaffhausen", 47.696, 8.634],
    ["8400", "Winterthur", 47.499, 8.724],
    ["8500", "Frauenfeld", 47.557, 8.898],
    ["8600", "Dübendorf", 47.397, 8.618],
    ["8640", "Rapperswil", 47.227, 8.818],
    ["8700", "Küsnacht", 47.318, 8.583],
    ["8810", "Horgen", 47.259, 8.597],
    ["9000", "St. Gallen", 47.424, 9.377],
    ["9500", "Wil", 47.461, 9.046],
];
/** The service friends marketplace: helpers, catalog, offers, bookings, dispatch, payments, reviews. */
export async function up(db) {
    const id = withId(db);
    await db.schema
        .createTable("marketplace_settings")
        .addColumn("community_id", "integer", (c) => c.primaryKey().references("communities.id").onDelete("cascade"))
        .addColumn("currency", "text", (c) => c.notNull().defaultTo("CHF"))
        .addColumn("platform_fee_percent", "integer", (c) => c.notNull().defaultTo(20))
        .addColumn("free_cancel_hours", "integer", (c) => c.notNull().defaultTo(24))
        .addColumn("timezone", "text", (c) => c.notNull().defaultTo("Europe/Zurich"))
        .addColumn("helper_course_id", "integer", (c) => c.references("courses.id").onDelete("set null"))
        .addColumn("code_of_conduct", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("dispatch_batch", "integer", (c) => c.notNull().defaultTo(3))
        .addColumn("dispatch_wait_minutes", "integer", (c) => c.notNull().defaultTo(60))
        .execute();
    await db.schema
        .createTable("postal_places")
        .addColumn("postal_code", "text", (c) => c.primaryKey())
        .addColumn("place", "text", (c) => c.notNull())
        .addColumn("lat", "double precision", (c) => c.notNull())
        .addColumn("lon", "double precision", (c) => c.notNull())
        .execute();
    await db
        .insertInto("postal_places")
        .values(POSTAL_PLACES.map(([postal_code, place, lat, lon]) => ({ postal_code, place, lat, lon })))
        .execute();
    await id(db.schema.createTable("services"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("max_price_cents", "integer", (c) => c.notNull())
        .addColumn("required_course_id", "integer", (c) => c.references("courses.id").onDelete("set null"))
        .addColumn("category_id", "integer", (c) => c.references("categories.id").onDelete("set null"))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addUniqueConstraint("services_name", ["community_id", "name"])
        .execute();
    // An application and, once approved, the helper: one row per member and community.
    await id(db.schema.createTable("helpers"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("real_name", "text", (c) => c.notNull())
        .addColumn("postal_code", "text", (c) => c.notNull())
        .addColumn("phone", "text", (c) => c.notNull())
        .addColumn("photo_key", "text", (c) => c.notNull())
        .addColumn("bio", "text", (c) => c.notNull())
        .addColumn("conduct_accepted_at", "bigint", (c) => c.notNull())
        .addColumn("decision_reason", "text")
        .addColumn("decided_by", "integer", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("decided_at", "bigint")
        .addColumn("rating_sum", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("rating_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("completed_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addUniqueConstraint("helpers_member", ["community_id", "user_id"])
        .execute();
    await db.schema
        .createIndex("helpers_queue")
        .on("helpers")
        .columns(["community_id", "status", "updated_at"])
        .execute();
    await db.schema.createIndex("helpers_user").on("helpers").columns(["user_id"]).execute();
    await id(db.schema.createTable("offers"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("helper_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("service_id", "integer", (c) => c.notNull().references("services.id").onDelete("cascade"))
        .addColumn("price_cents", "integer", (c) => c.notNull())
        .addColumn("price_unit", "text", (c) => c.notNull())
        .addColumn("postal_codes", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("center_postal_code", "text")
        .addColumn("lat", "double precision")
        .addColumn("lon", "double precision")
        .addColumn("radius_km", "integer")
        .addColumn("availability", "text", (c) => c.notNull())
        .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema
        .createIndex("offers_service")
        .on("offers")
        .columns(["community_id", "service_id", "active"])
        .execute();
    await db.schema.createIndex("offers_helper").on("offers").columns(["helper_id"]).execute();
    await id(db.schema.createTable("job_requests"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("customer_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("service_id", "integer", (c) => c.notNull().references("services.id").onDelete("cascade"))
        .addColumn("postal_code", "text", (c) => c.notNull())
        .addColumn("window_start", "bigint", (c) => c.notNull())
        .addColumn("window_end", "bigint", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("address", "text", (c) => c.notNull())
        .addColumn("phone", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("round", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("helper_id", "integer", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema
        .createIndex("job_requests_queue")
        .on("job_requests")
        .columns(["community_id", "status", "created_at"])
        .execute();
    await db.schema
        .createTable("job_candidates")
        .addColumn("job_request_id", "integer", (c) => c.notNull().references("job_requests.id").onDelete("cascade"))
        .addColumn("helper_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("round", "integer", (c) => c.notNull())
        .addColumn("offered_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("job_candidates_pk", ["job_request_id", "helper_id"])
        .execute();
    await db.schema
        .createIndex("job_candidates_helper")
        .on("job_candidates")
        .columns(["helper_id", "offered_at"])
        .execute();
    await id(db.schema.createTable("bookings"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("offer_id", "integer", (c) => c.references("offers.id").onDelete("set null"))
        .addColumn("job_request_id", "integer", (c) => c.references("job_requests.id").onDelete("set null"))
        .addColumn("service_id", "integer", (c) => c.notNull().references("services.id"))
        .addColumn("helper_id", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("customer_id", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("starts_at", "bigint", (c) => c.notNull())
        .addColumn("ends_at", "bigint", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("address", "text", (c) => c.notNull())
        .addColumn("phone", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("awaiting", "text", (c) => c.notNull())
        .addColumn("respond_by", "bigint", (c) => c.notNull())
        .addColumn("price_cents", "integer", (c) => c.notNull())
        .addColumn("price_unit", "text", (c) => c.notNull())
        .addColumn("currency", "text", (c) => c.notNull())
        .addColumn("reason", "text")
        .addColumn("cancelled_by", "integer", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("late_cancellation", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema.createIndex("bookings_helper").on("bookings").columns(["helper_id", "status", "starts_at"]).execute();
    await db.schema.createIndex("bookings_customer").on("bookings").columns(["customer_id", "created_at"]).execute();
    await id(db.schema.createTable("booking_messages"))
        .addColumn("booking_id", "integer", (c) => c.notNull().references("bookings.id").onDelete("cascade"))
        .addColumn("author_id", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema
        .createIndex("booking_messages_booking")
        .on("booking_messages")
        .columns(["booking_id", "id"])
        .execute();
    await db.schema
        .createTable("payments")
        .addColumn("booking_id", "integer", (c) => c.primaryKey().references("bookings.id").onDelete("cascade"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("helper_id", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("method", "text", (c) => c.notNull())
        .addColumn("amount_cents", "integer", (c) => c.notNull())
        .addColumn("fee_percent", "integer", (c) => c.notNull())
        .addColumn("fee_cents", "integer", (c) => c.notNull())
        .addColumn("currency", "text", (c) => c.notNull())
        .addColumn("reference", "text")
        .addColumn("recorded_at", "bigint", (c) => c.notNull())
        .addColumn("confirmed_at", "bigint")
        .execute();
    await db.schema
        .createIndex("payments_payout")
        .on("payments")
        .columns(["community_id", "helper_id", "recorded_at"])
        .execute();
    await id(db.schema.createTable("reviews"))
        .addColumn("booking_id", "integer", (c) => c.notNull().unique().references("bookings.id").onDelete("cascade"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("helper_id", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("customer_id", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("rating", "integer", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("response", "text")
        .addColumn("responded_at", "bigint")
        .addColumn("flag_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema
        .createIndex("reviews_helper")
        .on("reviews")
        .columns(["community_id", "helper_id", "created_at"])
        .execute();
    await db.schema
        .createTable("review_flags")
        .addColumn("review_id", "integer", (c) => c.notNull().references("reviews.id").onDelete("cascade"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("review_flags_pk", ["review_id", "user_id"])
        .execute();
}
export async function down() {
    throw new Error("Not reversible.");
}
