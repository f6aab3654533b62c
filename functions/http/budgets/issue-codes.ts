import { randomBytes, randomUUID } from 'node:crypto';
import { requireBudget, storeCodes } from '../../../shared/data/budgets.ts';
import { documentClient } from '../../../shared/data/client.ts';
import { codeHash, generateCode, qrPayload, readCode } from '../../../shared/domain/budget-process/codes.ts';
import { checkCanIssueCodes } from '../../../shared/domain/budget-process/eligibility.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { HttpProblem } from '../../../shared/http/problem.ts';

/** Where the QR payload points when the school names no voting page: an app link the school's app handles. */
const DEFAULT_QR_BASE = 'hromada-vote:';

/**
 * A school administrator issues one-time codes for a school budget of the community, to print and
 * hand out. The codes are returned once, here; only their hashes are stored. Which student got
 * which slip is not known to the platform.
 */
export const handler = httpHandler('issueBudgetCodes', async ({ params, body, principal }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id, { ofCommunity: principal.community });
  const refusal = checkCanIssueCodes(budget, principal, now);
  if (refusal) throw new HttpProblem(refusal.status, refusal.code, refusal.message);
  const codes = Array.from({ length: body.count }, () => generateCode(randomBytes));
  const batchId = randomUUID();
  await storeCodes(db, {
    budgetId: budget.id,
    hashes: codes.map((code) => codeHash((readCode(code) as { code: string }).code)),
    batchId,
    today: now.toISOString().slice(0, 10),
    audit: { community: budget.community, action: 'budget.codes.issued', actor: principal, target: { type: 'budget', id: budget.id }, at: now },
  });
  return {
    status: 201,
    body: { budgetId: budget.id, batchId, codes: codes.map((code) => ({ code, qr: qrPayload(body.qrBaseUrl ?? DEFAULT_QR_BASE, budget.id, code) })) },
  };
});
