import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { residencySchema, tokenOverrides, type Residency } from '../../shared/auth/residency.ts';

/**
 * Cognito pre-token-generation trigger (event version V2_0, wired in infra/stacks/auth-stack.ts):
 * puts `custom:community` and the `citizen` group into the tokens of federated residents, from the
 * stage's residency mapping (environment RESIDENCY, JSON, `null` when the stage has none: then
 * every federated sign-in is refused as not-resident; shared/auth/residency.ts).
 * An invalid RESIDENCY fails the cold start: no token is issued rather than a wrong one.
 */
const configured: unknown = JSON.parse(process.env.RESIDENCY ?? 'null');
const residency: Residency | undefined = configured === null ? undefined : residencySchema.parse(configured);

export const handler = async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
  event.response = tokenOverrides(event, residency);
  return event;
};
