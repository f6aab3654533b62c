import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { residencySchema, tokenOverrides, type Residency } from '../../shared/auth/residency.ts';

/**
 * Cognito pre-token-generation trigger (event version V2_0, wired in infra/stacks/auth-stack.ts):
 * puts `custom:community` and the `citizen` group into the tokens of federated residents, from the
 * stage's residency mapping (environment RESIDENCY, JSON; shared/auth/residency.ts).
 * An invalid RESIDENCY fails the cold start: no token is issued rather than a wrong one.
 */
const residency: Residency | undefined = process.env.RESIDENCY ? residencySchema.parse(JSON.parse(process.env.RESIDENCY)) : undefined;

export const handler = async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
  event.response = tokenOverrides(event, residency);
  return event;
};
