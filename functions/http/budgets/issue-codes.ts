import { randomBytes, randomUUID } from 'node:crypto';
import { requireBudget, reserveCodes, storeCodes } from '#shared/data/budgets.ts';
import { documentClient } from '#shared/data/client.ts';
import { codeHash, generateCode, qrPayload, readCode } from '#shared/domain/budget-process/codes.ts';
import { checkCanIssueCodes } from '#shared/domain/budget-process/eligibility.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { problemFromRefusal, problems } from '#shared/http/problem.ts';

/** Where the QR payload points when the school names no voting page: an app link the school's app handles. */
const DEFAULT_QR_BASE = 'hromada-vote:';

/**
 * A school's administrator issues one-time codes for their own school's budget, to print and hand
 * out, at most as many in all as the school's registered number of students (more needs the
 * council to raise that number). The codes are returned once, here; only their hashes are stored. Which student got
 * which slip is not known to the platform.
 */
export const handler = httpHandler('issueBudgetCodes', async ({ params, body, principal }) => {
  const db = documentClient();
  const now = new Date();
  const budget = await requireBudget(db, params.id, { ofCommunity: principal.community });
  const refusal = checkCanIssueCodes(budget, principal, now);
  if (refusal) throw problemFromRefusal(refusal);
  if (!(await reserveCodes(db, budget.id, body.count))) {
    const current = await requireBudget(db, budget.id, { consistent: true });
    throw problems.conflict(
      'more-codes-than-students',
      `The school has ${current.students ?? 0} registered students and ${current.codesIssued} codes are issued; more codes need the council to raise the number of students.`,
      { students: current.students, codesIssued: current.codesIssued },
    );
  }
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
