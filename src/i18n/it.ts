import type { MessageKey } from "./en.ts";

export const it: Partial<Record<MessageKey, string>> = {};
