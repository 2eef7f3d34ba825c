export const systemClock = { now: () => Date.now() };
/** A clock tests move by hand. */
export function fakeClock(start = Date.UTC(2026, 0, 1)) {
    let current = start;
    return {
        now: () => current,
        advance: (ms) => {
            current += ms;
        },
        set: (ms) => {
            current = ms;
        },
    };
}
