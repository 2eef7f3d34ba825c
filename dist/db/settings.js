const isPlain = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
/** Objects merge key by key; arrays and values replace. */
export function mergeSettings(base, patch) {
    if (!isPlain(base) || !isPlain(patch))
        return (patch === undefined ? base : patch);
    const out = { ...base };
    for (const [key, value] of Object.entries(patch))
        if (value !== undefined)
            out[key] = mergeSettings(out[key], value);
    return out;
}
export async function readSection(db, communityId, section, schema, defaults) {
    const row = await db
        .selectFrom("communitySettings")
        .select("value")
        .where("communityId", "=", communityId)
        .where("section", "=", section)
        .executeTakeFirst();
    if (!row)
        return defaults;
    const parsed = schema.safeParse(mergeSettings(defaults, JSON.parse(row.value)));
    return parsed.success ? parsed.data : defaults;
}
export async function writeSection(db, communityId, section, value, now) {
    await db
        .insertInto("communitySettings")
        .values({ communityId, section, value: JSON.stringify(value), updatedAt: now })
        .onConflict((oc) => oc.columns(["communityId", "section"]).doUpdateSet({ value: JSON.stringify(value), updatedAt: now }))
        .execute();
}
