import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { residencySetting } from '#shared/config.ts';
import { residencySchema, tokenOverrides, type Residency } from '#shared/auth/residency.ts';

/**
 * Cognito pre-token-generation trigger (event version V2_0, wired in infra/stacks/auth-stack.ts):
 * puts `custom:community` and the `citizen` group into the tokens of federated residents, from the
 * stage's residency mapping (environment RESIDENCY, JSON, `null` when the stage has none: then
 * every federated sign-in is refused as not-resident; shared/auth/residency.ts).
 * An invalid RESIDENCY fails the cold start: no token is issued rather than a wrong one.
 */
const residency: Residency | undefined = residencySetting(residencySchema);

export const handler = async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
  event.response = tokenOverrides(event, residency);
  return event;
};
