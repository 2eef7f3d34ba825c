/** Lengths of time in milliseconds, as the clock (`Date.now()`) counts them. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
