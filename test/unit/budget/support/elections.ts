import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ballot } from '#shared/domain/budget/ballot.ts';

const repositoryRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');

/** The real Pabulib files shared by the project (outside the repository, not copied into it). */
export const PABULIB_DIRECTORY = resolve(repositoryRoot, '../shared/data/pabulib');

export function readPabulibFile(name: string): string {
  return readFileSync(resolve(PABULIB_DIRECTORY, name), 'utf8');
}

/** Ballots from [how many voters, which projects] pairs, e.g. [[6, ['A', 'B']], [4, ['C']]]. */
export function ballots(spec: readonly (readonly [number, readonly string[]])[]): Ballot[] {
  return spec.flatMap(([count, projects]) => Array.from({ length: count }, () => ({ projects })));
}
