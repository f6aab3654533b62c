/** Participatory budget domain: Pabulib files, ballots and their rules, and the count. */
export * from './ballot.ts';
export * from './from-pabulib.ts';
export * from './pabulib.ts';
export * from './tally.ts';
export * from './tie-breaking.ts';
