import type { MessageKey } from "./en.ts";

export const de: Partial<Record<MessageKey, string>> = {};
