import { describe, expect, it } from 'vitest';
import type { Principal } from '#shared/auth/roles.ts';
import { ternopil, ukStyle } from '#shared/domain/community.ts';
import {
  alertIdempotencyKey, applyCount, checkCanModerate, checkCanSign, petitionView, effectiveStatus, newPetition, publish, recordResponse, reject, submit,
} from '#shared/domain/petitions/petition.ts';
import { ageOn, ageRefusal, validBirthdate } from '#shared/domain/birthdate.ts';

const t0 = new Date('2026-03-01T10:00:00Z');
const day = 86_400_000;
const author: Principal = { sub: 'author', roles: ['citizen'], community: 'ternopil', birthdate: '1980-01-01' };
const resident: Principal = { sub: 'r1', roles: ['citizen'], community: 'ternopil', birthdate: '2000-06-15' };

const draft = (rules = ternopil.petitions, isDraft = false) =>
  newPetition({ id: 'p1', community: 'ternopil', authorSub: 'author', title: 'Title of petition', text: 'x'.repeat(30), rules, draft: isDraft, now: t0 });

function opened(rules = ternopil.petitions) {
  const decision = publish(draft(rules), t0);
  if (!decision.ok) throw new Error(decision.message);
  return decision.value;
}

describe('petition lifecycle', () => {
  it('a submitted petition awaits moderation; a draft waits for its author', () => {
    expect(draft().status).toBe('moderation');
    const d = draft(ternopil.petitions, true);
    expect(d.status).toBe('draft');
    expect(submit(d, resident, t0)).toMatchObject({ ok: false, code: 'not-author' });
    expect(submit(d, author, t0)).toMatchObject({ ok: true, value: { status: 'moderation' } });
  });

  it('publishing opens signing for the community’s signing period', () => {
    const p = opened();
    expect(p.status).toBe('open');
    expect(Date.parse(p.closesAt!) - t0.getTime()).toBe(30 * day);
    expect(publish(p, t0)).toMatchObject({ ok: false, code: 'not-in-moderation' });
  });

  it('rejection keeps a coded reason and cannot follow publication', () => {
    expect(reject(draft(), 'offensive', 'Contains insults')).toMatchObject({ ok: true, value: { status: 'rejected', rejection: { reasonCode: 'offensive' } } });
    expect(reject(opened(), 'offensive', 'Contains insults')).toMatchObject({ ok: false });
  });

  it('an open petition closes at its deadline, without any job flipping it', () => {
    const p = opened();
    expect(effectiveStatus(p, new Date(t0.getTime() + 30 * day - 1))).toBe('open');
    expect(effectiveStatus(p, new Date(t0.getTime() + 30 * day))).toBe('closed');
  });

  it('the council answers once, and only a published petition that reached its response threshold or closed', () => {
    expect(recordResponse(draft(), { decision: 'noted', text: 'Thanks a lot' }, t0)).toMatchObject({ ok: false, code: 'not-published' });
    const below = opened();
    const later = new Date(t0.getTime() + day);
    expect(recordResponse(below, { decision: 'noted', text: 'Too early' }, later)).toMatchObject({ ok: false, kind: 'wrong-state', code: 'threshold-not-reached' });
    const reachedAt = new Date(t0.getTime() + 2 * day);
    const reached = { ...below, thresholds: applyCount(below, 300, reachedAt).thresholds };
    const now = new Date(t0.getTime() + 3 * day);
    expect(recordResponse(reached, { decision: 'noted', text: 'Back-dated', decidedAt: t0.toISOString() }, now)).toMatchObject({ ok: false, kind: 'invalid', code: 'decided-too-early' });
    expect(recordResponse(reached, { decision: 'noted', text: 'Future', decidedAt: new Date(now.getTime() + 1000).toISOString() }, now)).toMatchObject({ ok: false, kind: 'invalid', code: 'decided-in-future' });
    const answered = recordResponse(reached, { decision: 'supported', text: 'We will do it', decidedAt: reachedAt.toISOString() }, now);
    expect(answered.ok).toBe(true);
    if (answered.ok) expect(recordResponse(answered.value, { decision: 'noted', text: 'Again' }, now)).toMatchObject({ ok: false, code: 'already-answered' });
    // Closed below the threshold: the council may answer, dated no earlier than the closing.
    const afterClose = new Date(t0.getTime() + 31 * day);
    expect(recordResponse(below, { decision: 'noted', text: 'After closing' }, afterClose)).toMatchObject({ ok: true });
    expect(recordResponse(below, { decision: 'noted', text: 'Before closing', decidedAt: later.toISOString() }, afterClose)).toMatchObject({ ok: false, code: 'decided-too-early' });
  });

  it('a moderator cannot moderate their own petition', () => {
    expect(checkCanModerate(draft(), author)).toMatchObject({ code: 'own-petition' });
    expect(checkCanModerate(draft(), resident)).toBeUndefined();
  });

  it('a rejection for personal data, offensive or unlawful content withholds title and text, other reasons do not', () => {
    for (const reason of ['personal-data', 'offensive', 'unlawful']) {
      const r = reject(draft(), reason, 'Why it was refused');
      if (!r.ok) throw new Error(r.message);
      expect(petitionView(r.value, t0)).toMatchObject({ title: null, text: null, contentWithheld: true, rejection: { reasonCode: reason, explanation: 'Why it was refused' } });
    }
    for (const reason of ['duplicate', 'not-in-competence', 'unclear', 'other']) {
      const r = reject(draft(), reason, 'Why it was refused');
      if (!r.ok) throw new Error(r.message);
      expect(petitionView(r.value, t0)).toMatchObject({ title: 'Title of petition', contentWithheld: false });
    }
  });

  it('keeps the rules it was created under', () => {
    const p = opened();
    const changed = { ...ternopil.petitions, thresholds: [{ signatures: 5, purpose: 'response' as const }] };
    expect(changed.thresholds[0]!.signatures).not.toBe(p.thresholds[0]!.signatures);
    expect(p.rules.thresholds[0]!.signatures).toBe(300);
  });
});

describe('eligibility to sign', () => {
  const p = opened();
  it('a resident adult may sign an open petition', () => {
    expect(checkCanSign(p, resident, t0)).toBeUndefined();
  });
  it('refuses a petition not open: wrong state', () => {
    expect(checkCanSign(draft(), resident, t0)).toMatchObject({ kind: 'wrong-state', code: 'not-open' });
    expect(checkCanSign(p, resident, new Date(t0.getTime() + 31 * day))).toMatchObject({ kind: 'wrong-state', code: 'not-open' });
  });
  it('refuses a non-resident and an under-age or undated person: not allowed', () => {
    expect(checkCanSign(p, { ...resident, community: 'lviv' }, t0)).toMatchObject({ kind: 'not-allowed', code: 'not-resident' });
    expect(checkCanSign(p, { ...resident, birthdate: '2010-01-01' }, t0)).toMatchObject({ kind: 'not-allowed', code: 'under-age' });
    const { birthdate: _ignored, ...undated } = resident;
    expect(checkCanSign(p, undated, t0)).toMatchObject({ kind: 'not-allowed', code: 'age-unknown' });
  });
  it('age counts whole years, the birthday itself included', () => {
    expect(ageOn('2008-03-01', t0)).toBe(18);
    expect(ageOn('2008-03-02', t0)).toBe(17);
  });
  it('a birth date that is no real date between 1900-01-01 and today is an unknown age', () => {
    for (const birthdate of ['0000-01-01', '2010-13-45', '1899-12-31', '2001-02-29', '2026-03-02', '1990-1-1', '']) {
      expect(validBirthdate(birthdate, t0), birthdate).toBeUndefined();
      expect(ageOn(birthdate, t0), birthdate).toBeUndefined();
      expect(checkCanSign(p, { ...resident, birthdate }, t0), birthdate).toMatchObject({ kind: 'not-allowed', code: 'age-unknown' });
    }
    for (const birthdate of ['1900-01-01', '2000-02-29', '2026-03-01']) expect(validBirthdate(birthdate, t0)).toBe(birthdate);
    expect(ageRefusal('0000-01-01', 0, t0)).toBeUndefined();
  });
  it('a community without residency or age rules lets anyone sign', () => {
    const uk = opened(ukStyle.petitions);
    expect(checkCanSign(uk, { sub: 'x', roles: ['citizen'], community: 'elsewhere' }, t0)).toBeUndefined();
  });
});

describe('thresholds', () => {
  const uk = opened(ukStyle.petitions);
  it('stamps each threshold once, when the count first reaches it', () => {
    const a = applyCount(uk, 9_999, t0);
    expect(a.crossed).toEqual([]);
    const b = applyCount(uk, 10_000, t0);
    expect(b.crossed.map((c) => c.signatures)).toEqual([10_000]);
    const c = applyCount({ thresholds: b.thresholds }, 150_000, t0);
    expect(c.crossed.map((x) => x.signatures)).toEqual([100_000]);
    expect(applyCount({ thresholds: c.thresholds }, 200_000, t0).crossed).toEqual([]);
  });
  it('a jump over two thresholds crosses both', () => {
    expect(applyCount(uk, 100_000, t0).crossed.map((c) => c.signatures)).toEqual([10_000, 100_000]);
  });
  it('a reached threshold stays reached if the count later drops', () => {
    const b = applyCount(uk, 10_000, t0);
    expect(applyCount({ thresholds: b.thresholds }, 9_000, t0).thresholds[0]!.reachedAt).not.toBeNull();
  });
  it('the alert key is stable', () => {
    expect(alertIdempotencyKey('p1', 300)).toBe(alertIdempotencyKey('p1', 300));
    expect(alertIdempotencyKey('p1', 300)).not.toBe(alertIdempotencyKey('p1', 301));
  });
});
