import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../infra/bundle.ts';
import { refusal, refuse, type RefusalKind } from '#shared/domain/outcome.ts';
import { problemFromRefusal } from '#shared/http/problem.ts';

describe('domain refusals become HTTP problems in one place', () => {
  it('maps each kind to its status, keeping the code as the problem type and the message as the detail', () => {
    const cases: [RefusalKind, number][] = [['not-allowed', 403], ['wrong-state', 409], ['invalid', 422]];
    for (const [kind, status] of cases) {
      const problem = problemFromRefusal(refusal(kind, 'some-code', 'Some message.'));
      expect(problem.status).toBe(status);
      expect(problem.code).toBe('some-code');
      expect(problem.message).toBe('Some message.');
      expect(problem.extensions).toEqual({});
      expect(problem.headers).toEqual({});
    }
  });

  it('takes a refused decision as it is', () => {
    expect(problemFromRefusal(refuse('wrong-state', 'closed', 'Closed.')).toBody()).toEqual({
      type: 'https://hromada.dev/problems/closed', title: 'Conflict', status: 409, detail: 'Closed.',
    });
  });
});

/**
 * An HTTP status written into the domain: `status: 409`, `statusCode = 403`, or a union of
 * status numbers such as `403 | 409` in a refusal's type. The domain says why (a refusal's kind);
 * shared/http says which status that is.
 */
const HTTP_STATUS_IN_CODE = [/\bstatus(?:Code)?\s*[:=]\s*[1-5]\d\d\b/, /\b[1-5]\d\d\s*\|\s*[1-5]\d\d\b/];

/** The offending lines, `file:line: text`, comments left out (they may explain what a caller answers). */
export function httpStatusesIn(files: { path: string; source: string }[]): string[] {
  const found: string[] = [];
  for (const { path, source } of files) {
    source.split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '').replace(/\/\*.*?\*\//g, '');
      if (HTTP_STATUS_IN_CODE.some((pattern) => pattern.test(code))) found.push(`${path}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

describe('the domain carries no HTTP status', () => {
  it('finds a status in an outcome, not in a comment', () => {
    const offenders = httpStatusesIn([{
      path: 'x.ts',
      source: [
        "return { ok: false, status: 409, code: 'closed', message: 'Closed.' };",
        'export type SignRefusal = { status: 403 | 409; code: string };',
        '// the handler answers status: 409',
        ' * (409: wrong phase)',
        "return refusal('wrong-state', 'closed', 'Closed.');",
      ].join('\n'),
    }]);
    expect(offenders).toEqual([
      "x.ts:1: return { ok: false, status: 409, code: 'closed', message: 'Closed.' };",
      'x.ts:2: export type SignRefusal = { status: 403 | 409; code: string };',
    ]);
  });

  it('no file under shared/domain writes an HTTP status into an outcome', () => {
    const domain = join(repoRoot, 'shared', 'domain');
    const files = readdirSync(domain, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
      .map((entry) => join(entry.parentPath, entry.name))
      .map((file) => ({ path: relative(repoRoot, file), source: readFileSync(file, 'utf8') }));
    expect(files.length).toBeGreaterThan(10);
    expect(httpStatusesIn(files)).toEqual([]);
  });
});
