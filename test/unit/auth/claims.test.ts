import { describe, expect, it } from 'vitest';
import { principalFromAuthorizerContext, principalFromClaims, toAuthorizerContext } from '#shared/auth/claims.ts';

describe('school and national identifier claims', () => {
  it('carries the school of staff and the attested national identifier through the authorizer context', () => {
    const staff = principalFromClaims({ sub: 'a1', 'cognito:groups': ['school-admin'], 'custom:community': 'ternopil', 'custom:school': 'school-5' });
    expect(staff).toEqual({ sub: 'a1', roles: ['school-admin'], community: 'ternopil', school: 'school-5' });
    expect(principalFromAuthorizerContext(toAuthorizerContext(staff!))).toEqual(staff);
    const voter = principalFromClaims({ sub: 'u1', 'cognito:groups': ['citizen'], 'custom:community': 'ternopil', 'custom:national_id': '3012345678' });
    expect(voter?.nationalId).toBe('3012345678');
    expect(principalFromAuthorizerContext(toAuthorizerContext(voter!))).toEqual(voter);
  });

  it('ignores a malformed school or identifier (acting as if absent: no school, no online vote)', () => {
    const base = { sub: 'u1', 'cognito:groups': ['school-admin'], 'custom:community': 'ternopil' };
    expect(principalFromClaims({ ...base, 'custom:school': '../school-5' })?.school).toBeUndefined();
    expect(principalFromClaims({ ...base, 'custom:school': '' })?.school).toBeUndefined();
    expect(principalFromClaims({ ...base, 'custom:national_id': '12' })?.nationalId).toBeUndefined();
    expect(principalFromClaims({ ...base, 'custom:national_id': ['3012345678'] })?.nationalId).toBeUndefined();
  });
});
