import { setChampion } from "./reputation.service.js";
import { createReward, redeem } from "./reputation.rewards.js";
import { communityAccess } from "../communities/index.js";
/**
 * The demo community's reputation extras: its votes and accepted answers already filled the kudos
 * ledger; here staff enrol a champion, define two rewards, and the champion redeems one.
 */
export async function seedReputationDemo(deps, communityId, people) {
    const staff = await communityAccess(deps, { id: communityId }, people.staff);
    await setChampion(deps, staff, people.champion.id, true);
    await createReward(deps, staff, {
        name: "CHF 10 bill credit",
        description: "Taken off your next bill.",
        price: 50,
        stock: null,
    });
    const shirt = await createReward(deps, staff, {
        name: "Community T-shirt",
        description: "Organic cotton, in your size.",
        price: 30,
        stock: 20,
    });
    await redeem(deps, await communityAccess(deps, { id: communityId }, people.champion), shirt.id, "demo-seed-t-shirt");
}
