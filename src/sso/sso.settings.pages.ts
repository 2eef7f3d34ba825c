import type { Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { inCommunity } from "../communities/index.ts";
import { blankForm, type FormValues } from "../web/forms.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import { ssoRequirementBody, type SsoRequirement } from "./sso.schema.ts";
import { getRequirement, setRequirement } from "./sso.requirements.ts";
import { ssoSettingsView } from "./sso.settings.views.ts";

const orNull = (value: string | undefined) => (value?.trim() ? value.trim() : null);

/** Form text to the API's body: an empty field is "none". */
const requirementInput = (values: FormValues) => ({
  provider: orNull(values.provider),
  toPost: values.toPost === "1",
  toApply: values.toApply === "1",
  claim: orNull(values.claim),
  claimValue: orNull(values.claimValue),
});

const formValues = (requirement: SsoRequirement): FormValues => ({
  provider: requirement.provider ?? "",
  toPost: requirement.toPost ? "1" : "0",
  toApply: requirement.toApply ? "1" : "0",
  claim: requirement.claim ?? "",
  claimValue: requirement.claimValue ?? "",
});

/** The page where a community's admins require single sign-on (same rules and use cases as the API). */
export function ssoSettingsPages(deps: Deps): PageRoute[] {
  const path = "/c/:slug/admin/sso";
  return [
    definePage(deps, {
      path,
      params: slugParams,
      auth: "required",
      load: inCommunity(deps),
      render: async ({ page, context: access }) =>
        ssoSettingsView(page, access.community, blankForm(formValues(await getRequirement(deps, access)))),
    }),
    defineForm(deps, {
      path,
      params: slugParams,
      load: inCommunity(deps),
      schema: ssoRequirementBody,
      toInput: requirementInput,
      run: async ({ context: access, data }) => {
        await setRequirement(deps, access, data);
        return `/c/${access.community.slug}/admin/sso`;
      },
      rerender: async ({ page, context: access, form }) => ssoSettingsView(page, access.community, form),
    }),
  ];
}
