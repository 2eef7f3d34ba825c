import { z } from "zod";
import { LIMITS } from "../core/config.ts";
import type { MessageKey } from "../i18n/i18n.ts";

/** Limits shared by the course form and the API. */
export const ACADEMY_LIMITS = {
  titleMax: 120,
  descriptionMax: 2_000,
  lessonsMax: 30,
  questionsMax: 50,
  optionsMin: 2,
  optionsMax: 10,
  optionMax: 300,
  questionMax: 1_000,
} as const;

const id = z.number().int().positive().max(LIMITS.idMax);

const option = z.object({
  text: z.string().trim().min(1, "Write the option.").max(ACADEMY_LIMITS.optionMax),
  /** Whether choosing this option is right; never shown to members before they submit. */
  correct: z.boolean().default(false),
});

const question = z.object({
  text: z
    .string()
    .trim()
    .max(ACADEMY_LIMITS.questionMax)
    .refine((text) => text.length > 0, {
      message: "Write the question.",
      params: { messageKey: "academy.field.questionsHint" },
    }),
  /** single: exactly one option is right (radio buttons); multiple: one or more (checkboxes). */
  kind: z.enum(["single", "multiple"]),
  /** At least two, one right (single) or one or more (multiple): checked by `checkOptions`, documented here. */
  options: z.array(option).max(ACADEMY_LIMITS.optionsMax).meta({ minItems: ACADEMY_LIMITS.optionsMin }),
});

/**
 * The options each question needs, checked over the whole list so that the course form names the
 * question in the reader's language ("Question 2: ..."), where a check of one question could say
 * only "required" or "not valid". The API keeps its English messages under `questions.N.options`.
 */
function checkOptions(questions: z.infer<typeof question>[], ctx: z.RefinementCtx): void {
  questions.forEach((q, index) => {
    const refuse = (message: string, messageKey: MessageKey) =>
      ctx.addIssue({
        code: "custom",
        path: [index, "options"],
        message,
        params: { messageKey, messageParams: { number: index + 1 } },
      });
    const right = q.options.filter((o) => o.correct).length;
    if (q.options.length < ACADEMY_LIMITS.optionsMin) refuse("Give at least two options.", "academy.field.optionsMin");
    else if (q.kind === "single" ? right !== 1 : right === 0)
      refuse(
        "A single-choice question needs exactly one right option, a multiple-choice question at least one.",
        q.kind === "single" ? "academy.field.oneRight" : "academy.field.someRight",
      );
  });
}

export const createCourseBody = z.object({
  title: z.string().trim().min(3, "Use at least 3 characters.").max(ACADEMY_LIMITS.titleMax),
  description: z.string().trim().max(ACADEMY_LIMITS.descriptionMax).default(""),
  /** Percentage of questions answered right needed to pass. */
  passMark: z.number().int().min(1).max(100).default(80),
  /** Attempts a member has before passing. */
  maxAttempts: z.number().int().min(1).max(20).default(3),
  /** Minutes to wait between two attempts. */
  cooldownMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(60),
  /** Days a certification stays valid; null or absent: forever. */
  validityDays: z.number().int().min(1).max(3650).nullable().default(null),
  /**
   * After a failed attempt, tell the member which questions they answered wrong (never which options
   * are right). Off, a failed attempt shows only the score: for certifications where throwaway
   * accounts probing the quiz would matter more than the feedback.
   */
  showMistakes: z.boolean().default(true),
  /** Lessons in order; bodies are Markdown. */
  lessons: z
    .array(
      z.object({
        title: z
          .string()
          .trim()
          .max(ACADEMY_LIMITS.titleMax)
          .refine((title) => title.length > 0, {
            message: 'Start each lesson with a line "# Title".',
            params: { messageKey: "academy.field.lessonsHint" },
          }),
        body: z.string().trim().min(1).max(LIMITS.bodyMax),
      }),
    )
    .max(ACADEMY_LIMITS.lessonsMax)
    .default([]),
  questions: z
    .array(question)
    .min(1, "Add at least one question.")
    .max(ACADEMY_LIMITS.questionsMax)
    .superRefine(checkOptions),
});

export const attemptBody = z.object({
  /** One entry per answered question; an unanswered question counts as wrong. */
  answers: z
    .array(z.object({ questionId: id, optionIds: z.array(id).max(ACADEMY_LIMITS.optionsMax).default([]) }))
    .max(ACADEMY_LIMITS.questionsMax),
});

export type CreateCourseInput = z.infer<typeof createCourseBody>;
export type AttemptInput = z.infer<typeof attemptBody>;
