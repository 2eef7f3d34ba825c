import type { Actor, Deps } from "../core/deps.ts";
import { defineApi, idParams, slugParams } from "../http/api.ts";
import { flagPost } from "./moderation.flags.ts";
import { hideOrRestore } from "./moderation.posts.ts";
import { listQueue, resolveItem } from "./moderation.queue.ts";
import { mergeTopic, moveTopic, setLocked } from "./moderation.topics.ts";
import { suspend, unsuspend, warn } from "./moderation.members.ts";
import { redactVersion } from "./moderation.redact.ts";
import { liftBan, removeMember } from "./moderation.removal.ts";
import { auditLog, readModerationSettings, updateModerationSettings } from "./moderation.service.ts";
import { moderationSettingsPatch } from "./moderation.settings.ts";
import {
  auditQuery,
  banBody,
  flagBody,
  hideBody,
  memberParams,
  mergeBody,
  moveBody,
  postParams,
  queueQuery,
  redactBody,
  reviewBody,
  reviewParams,
  suspendBody,
  versionParams,
  warnBody,
} from "./moderation.schema.ts";
import { communityAccess } from "../communities/index.ts";

export function moderationRoutes(deps: Deps) {
  const access = (slug: string, actor: Actor | null) => communityAccess(deps, { slug: slug }, actor);
  const lock = (locked: boolean) =>
    defineApi({
      method: locked ? "PUT" : "DELETE",
      path: "/topics/:id/lock",
      tag: "moderation",
      summary: locked ? "Lock a topic: no more replies or comments (moderators)" : "Unlock a topic (moderators)",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => setLocked(deps, actor, params.id, locked),
    });
  const hide = (on: boolean) =>
    defineApi({
      method: "POST",
      path: `/posts/:type/:id/${on ? "hide" : "restore"}`,
      tag: "moderation",
      summary: on ? "Hide a topic, reply or comment (moderators)" : "Restore a hidden post (moderators)",
      auth: "required",
      params: postParams,
      body: hideBody,
      handler: async ({ actor, params, body }) => hideOrRestore(deps, actor, params.type, params.id, on, body.reason),
    });
  return [
    defineApi({
      method: "POST",
      path: "/posts/:type/:id/flags",
      tag: "moderation",
      summary: "Flag a topic, reply or comment (spam, abuse, off_topic, other + text)",
      auth: "required",
      params: postParams,
      body: flagBody,
      status: 201,
      handler: async ({ actor, params, body }) => flagPost(deps, actor, params.type, params.id, body),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/review-queue",
      tag: "moderation",
      summary:
        "Posts waiting for review: held for approval, likely spam, flagged, and the actions the caller may take " +
        "(reviewers)",
      auth: "required",
      params: slugParams,
      query: queueQuery,
      handler: async ({ actor, params, query }) => listQueue(deps, await access(params.slug, actor), query),
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/review-queue/:id",
      tag: "moderation",
      summary: "Act on a review item: approve, hide, delete, edit (then approve) or warn the author",
      auth: "required",
      params: reviewParams,
      body: reviewBody,
      handler: async ({ actor, params, body }) => resolveItem(deps, await access(params.slug, actor), params.id, body),
    }),
    hide(true),
    hide(false),
    lock(true),
    lock(false),
    defineApi({
      method: "POST",
      path: "/topics/:id/move",
      tag: "moderation",
      summary: "Move a topic to another category, or to none (moderators)",
      auth: "required",
      params: idParams,
      body: moveBody,
      handler: async ({ actor, params, body }) => moveTopic(deps, actor, params.id, body.categoryId),
    }),
    ...(["topic", "reply"] as const).map((type) =>
      defineApi({
        method: "POST",
        path: `/${type === "topic" ? "topics" : "replies"}/:id/history/:version/redact`,
        tag: "moderation",
        summary: `Erase a past version of a ${type}'s edit history, with a reason for the audit log (moderators)`,
        auth: "required",
        params: versionParams,
        body: redactBody,
        handler: async ({ actor, params, body }) =>
          redactVersion(deps, actor, { type, id: params.id, version: params.version }, body.reason),
      }),
    ),
    defineApi({
      method: "POST",
      path: "/topics/:id/merge",
      tag: "moderation",
      summary:
        "Merge a topic into another: its question becomes a reply there, replies and followers move (moderators)",
      auth: "required",
      params: idParams,
      body: mergeBody,
      handler: async ({ actor, params, body }) => mergeTopic(deps, actor, params.id, body),
    }),
    defineApi({
      method: "PUT",
      path: "/communities/:slug/members/:userId/suspension",
      tag: "moderation",
      summary:
        "Suspend a member for some days with a reason they see (moderators; staff and moderators only by admins)",
      auth: "required",
      params: memberParams,
      body: suspendBody,
      handler: async ({ actor, params, body }) => ({
        suspension: await suspend(deps, await access(params.slug, actor), params.userId, body),
      }),
    }),
    defineApi({
      method: "DELETE",
      path: "/communities/:slug/members/:userId/suspension",
      tag: "moderation",
      summary: "Lift a member's suspension (moderators)",
      auth: "required",
      params: memberParams,
      handler: async ({ actor, params }) => ({
        suspension: await unsuspend(deps, await access(params.slug, actor), params.userId),
      }),
    }),
    defineApi({
      method: "DELETE",
      path: "/communities/:slug/members/:userId",
      tag: "moderation",
      summary:
        "Remove a member: their access to a private community ends at once " +
        "(moderators; staff and moderators by admins)",
      auth: "required",
      params: memberParams,
      handler: async ({ actor, params }) => ({
        removal: await removeMember(deps, await access(params.slug, actor), params.userId, { ban: false, reason: "" }),
      }),
    }),
    defineApi({
      method: "PUT",
      path: "/communities/:slug/members/:userId/ban",
      tag: "moderation",
      summary: "Remove and ban a member: they cannot join again or take part until the ban is lifted (moderators)",
      auth: "required",
      params: memberParams,
      body: banBody,
      handler: async ({ actor, params, body }) => ({
        removal: await removeMember(deps, await access(params.slug, actor), params.userId, { ban: true, ...body }),
      }),
    }),
    defineApi({
      method: "DELETE",
      path: "/communities/:slug/members/:userId/ban",
      tag: "moderation",
      summary: "Lift a ban: the user may join again (moderators)",
      auth: "required",
      params: memberParams,
      handler: async ({ actor, params }) => ({
        ban: await liftBan(deps, await access(params.slug, actor), params.userId),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/members/:userId/warnings",
      tag: "moderation",
      summary: "Warn a member with a reason (moderators)",
      auth: "required",
      params: memberParams,
      body: warnBody,
      status: 201,
      handler: async ({ actor, params, body }) =>
        warn(deps, await access(params.slug, actor), params.userId, body.reason),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/audit-log",
      tag: "moderation",
      summary: "Every moderator and admin action, newest first (community admins)",
      auth: "required",
      params: slugParams,
      query: auditQuery,
      handler: async ({ actor, params, query }) => auditLog(deps, await access(params.slug, actor), query),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/settings/moderation",
      tag: "moderation",
      summary: "First-post approval, flag threshold, rate limits and spam rules (moderators and admins)",
      auth: "required",
      params: slugParams,
      handler: async ({ actor, params }) => ({
        settings: await readModerationSettings(deps, await access(params.slug, actor)),
      }),
    }),
    defineApi({
      method: "PATCH",
      path: "/communities/:slug/settings/moderation",
      tag: "moderation",
      summary: "Change moderation settings (community admin)",
      auth: "required",
      params: slugParams,
      body: moderationSettingsPatch,
      handler: async ({ actor, params, body }) => ({
        settings: await updateModerationSettings(deps, await access(params.slug, actor), body),
      }),
    }),
  ];
}
