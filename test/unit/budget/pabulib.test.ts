import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PabulibFormatError,
  parsePabulib,
  writePabulib,
  type PbElection,
} from '#shared/domain/budget/pabulib.ts';
import { readPabulibFile } from './support/elections.ts';

const REAL_FILES = [
  'Poland_Krakow_2022_Stare_Miasto.pb',
  'Poland_Swiecie_2023.pb',
  'Poland_Warszawa_2018_Nadwisle.pb',
  'Poland_Warszawa_2023_Rembertow.pb',
];

const MINIMAL = [
  'META',
  'key;value',
  'description;Test',
  'country;Ukraine',
  'unit;Ternopil',
  'instance;2026',
  'num_projects;2',
  'num_votes;2',
  'budget;100',
  'vote_type;approval',
  'rule;greedy',
  'PROJECTS',
  'project_id;cost;name',
  'a;60;Park',
  'b;50;Library',
  'VOTES',
  'voter_id;vote',
  'v1;a,b',
  'v2;b',
].join('\n');

/** Replaces the first line that starts with `prefix` (or removes it when `line` is undefined). */
function edit(text: string, prefix: string, line?: string): string {
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.startsWith(prefix));
  if (index < 0) throw new Error(`no line starts with ${prefix}`);
  if (line === undefined) lines.splice(index, 1);
  else lines[index] = line;
  return lines.join('\n');
}

function formatError(text: string): PabulibFormatError {
  try {
    parsePabulib(text);
  } catch (error) {
    if (error instanceof PabulibFormatError) return error;
    throw error;
  }
  throw new Error('expected a PabulibFormatError');
}

describe('parsePabulib on the real files', () => {
  it.each(REAL_FILES)('%s: reads every project and vote, round-trips, and writes the file back byte for byte', (name) => {
    const text = readPabulibFile(name);
    const election = parsePabulib(text);
    expect(election.projects).toHaveLength(election.meta.numProjects);
    expect(election.votes).toHaveLength(election.meta.numVotes);
    expect(parsePabulib(writePabulib(election))).toEqual(election);
    expect(writePabulib(election, { lineEnding: '\r\n' })).toBe(text);
  });

  it('types the META keys it knows and keeps the others, in order', () => {
    const election = parsePabulib(readPabulibFile('Poland_Warszawa_2018_Nadwisle.pb'));
    expect(election.meta).toMatchObject({
      description: 'Local PB in Warszawa, Wawer | Nadwiśle',
      numProjects: 3,
      numVotes: 157,
      budget: 124744,
      voteType: 'approval',
      rule: 'greedy-threshold',
      minLength: 1,
      maxSumCost: 124744,
      minProjectScoreThreshold: 16,
    });
    expect(election.meta.extra).toMatchObject({ district: 'Wawer', currency: 'PLN', fully_funded: '1' });
    expect(election.layout.metaKeys.slice(0, 4)).toEqual(['description', 'country', 'unit', 'district']);
  });

  it('keeps extra columns as text, in file order', () => {
    const election = parsePabulib(readPabulibFile('Poland_Warszawa_2023_Rembertow.pb'));
    expect(election.layout.projectColumns).toEqual([
      'project_id', 'cost', 'votes', 'name', 'category', 'beneficiaries', 'selected', 'latitude', 'longitude',
    ]);
    const first = election.projects[0]!;
    expect(first).toMatchObject({ projectId: '1639', cost: 202100, votes: 650, selected: 1 });
    expect(first.extra.latitude).toBe('52.261600874009');
    expect(first.extra.category).toBe('urban greenery,sport,public space');
    expect(election.votes[0]).toMatchObject({ voterId: '63', extra: { age: '38', sex: 'F', voting_method: 'internet' } });
  });

  it('unquotes fields with doubled quotes (Kraków project names)', () => {
    const election = parsePabulib(readPabulibFile('Poland_Krakow_2022_Stare_Miasto.pb'));
    expect(election.projects[0]!.extra.name).toBe('Park Kieszonkowy "Olimpijka" - stwórzmy piękną przestrzeń');
    expect(writePabulib(election)).toContain('"Park Kieszonkowy ""Olimpijka"" - stwórzmy piękną przestrzeń"');
    expect(election.votes[0]).toMatchObject({ voterId: 'E1182889', vote: ['11', '13', '36'], points: [3, 2, 1] });
  });
});

describe('parsePabulib quoting and layout', () => {
  it('reads quoted fields with ; and line breaks, a BOM, CRLF and spaces around fields', () => {
    const text =
      '\uFEFF' +
      MINIMAL.replace('a;60;Park', 'a ; 60 ; "Park; ""big""\nand green"').replaceAll('\n', '\r\n').replace('\r\nand green', '\nand green');
    const election = parsePabulib(text);
    expect(election.projects[0]).toEqual({ projectId: 'a', cost: 60, extra: { name: 'Park; "big"\nand green' } });
    expect(parsePabulib(writePabulib(election))).toEqual(election);
  });

  it('reads a whole-number decimal budget as an integer and keeps large costs exact', () => {
    const election = parsePabulib(edit(edit(MINIMAL, 'budget;', 'budget;9007199254740991.00'), 'a;60', 'a;9007199254740990;Park'));
    expect(election.meta.budget).toBe(Number.MAX_SAFE_INTEGER);
    expect(election.projects[0]!.cost).toBe(9007199254740990);
  });

  it('writes keys and columns a hand-built election adds after the recorded ones', () => {
    const election = parsePabulib(MINIMAL);
    const changed: PbElection = {
      ...election,
      meta: { ...election.meta, maxLength: 2, extra: { currency: 'UAH' } },
      projects: election.projects.map((p) => ({ ...p, selected: 1, extra: { ...p.extra, category: 'small' } })),
    };
    const written = writePabulib(changed);
    expect(written).toContain('rule;greedy\nmax_length;2\ncurrency;UAH\nPROJECTS\nproject_id;cost;name;selected;category\na;60;Park;1;small');
    expect(parsePabulib(written)).toMatchObject({ meta: { maxLength: 2, extra: { currency: 'UAH' } } });
  });
});

describe('parsePabulib errors name the line and the problem', () => {
  const cases: [string, string, number, RegExp][] = [
    ['missing section', MINIMAL.slice(0, MINIMAL.indexOf('VOTES')), 15, /section VOTES is missing/],
    ['text before META', `hello\n${MINIMAL}`, 1, /must start with the META section/],
    ['missing required META key', edit(MINIMAL, 'unit;'), 1, /META has no required key "unit"/],
    ['bad META header', edit(MINIMAL, 'key;value', 'name;value'), 2, /META header must be "key;value"/],
    ['duplicate META key', edit(MINIMAL, 'unit;', 'country;Poland'), 5, /META key "country" appears twice/],
    ['unknown vote type', edit(MINIMAL, 'vote_type;', 'vote_type;borda'), 10, /vote_type must be one of/],
    ['non-integer budget', edit(MINIMAL, 'budget;', 'budget;100.5'), 9, /META budget must be a whole number/],
    ['missing cost column', edit(edit(MINIMAL, 'project_id;', 'project_id;price;name'), 'a;60', 'a;60;Park'), 13, /PROJECTS has no "cost" column/],
    ['non-integer cost', edit(MINIMAL, 'a;60', 'a;12.50;Park'), 14, /project cost must be a whole number, got "12.50"/],
    ['negative cost', edit(MINIMAL, 'a;60', 'a;-5;Park'), 14, /project cost must not be negative/],
    ['cost beyond safe integers', edit(MINIMAL, 'a;60', 'a;9007199254740993;Park'), 14, /larger than 9007199254740991/],
    ['duplicate project id', edit(MINIMAL, 'b;50', 'a;50;Library'), 15, /project_id "a" appears twice/],
    ['row wider than header', edit(MINIMAL, 'b;50', 'b;50;Library;extra'), 15, /PROJECTS row has 4 fields but the header has 3/],
    ['unclosed quote', edit(MINIMAL, 'b;50', 'b;50;"Library'), 15, /quoted field is not closed/],
    ['vote for unknown project', edit(MINIMAL, 'v2;', 'v2;c'), 19, /vote names unknown project "c"/],
    ['project twice in a vote', edit(MINIMAL, 'v2;', 'v2;b,b'), 19, /vote names project "b" twice/],
    ['duplicate voter id', edit(MINIMAL, 'v2;', 'v1;b'), 19, /voter_id "v1" appears twice/],
    ['num_votes mismatch', edit(MINIMAL, 'num_votes;', 'num_votes;3'), 16, /num_votes is 3 but VOTES has 2 rows/],
    ['num_projects mismatch', edit(MINIMAL, 'num_projects;', 'num_projects;1'), 12, /num_projects is 1 but PROJECTS has 2 rows/],
    ['section twice', `${MINIMAL}\nVOTES`, 20, /section VOTES appears twice/],
    [
      'cumulative votes without points',
      edit(MINIMAL, 'vote_type;', 'vote_type;cumulative'),
      17,
      /VOTES has no "points" column/,
    ],
    [
      'points not matching the vote',
      edit(edit(MINIMAL, 'voter_id;', 'voter_id;vote;points'), 'v1;', 'v1;a,b;3'),
      18,
      /vote lists 2 projects but 1 points/,
    ],
  ];

  it.each(cases)('%s', (_, text, line, message) => {
    const error = formatError(text);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(new RegExp(`^line ${line}: `));
  });
});

describe('writePabulib round trip (property)', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'ź', ' ', ';', '"', ',', '\n', 'x', '1') });
  const id = fc.stringMatching(/^[a-z0-9]{1,4}$/);
  const electionArbitrary = fc
    .record({
      description: text,
      comment: text,
      budget: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      projectIds: fc.uniqueArray(id, { minLength: 1, maxLength: 6 }),
      names: fc.array(text, { minLength: 6, maxLength: 6 }),
      costs: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
      votes: fc.array(fc.tuple(fc.array(fc.nat({ max: 5 }), { maxLength: 4 }), text), { maxLength: 5 }),
    })
    .map(({ description, comment, budget, projectIds, names, costs, votes }): string => {
      const projects = projectIds.map((p, i) => [p, String(costs[i]), names[i]!]);
      const voteRows = votes.map(([chosen, age], i) => [
        `v${i}`,
        [...new Set(chosen.map((c) => projectIds[c % projectIds.length]!))].join(','),
        age,
      ]);
      const quote = (f: string) => (/[;"\n]|^\s|\s$/.test(f) ? `"${f.replaceAll('"', '""')}"` : f);
      const row = (fields: string[]) => fields.map(quote).join(';');
      return [
        'META',
        'key;value',
        row(['description', description]),
        'country;Ukraine',
        'unit;Ternopil',
        'instance;2026',
        `num_projects;${projects.length}`,
        `num_votes;${voteRows.length}`,
        `budget;${budget}`,
        'vote_type;approval',
        'rule;greedy',
        row(['comment', comment]),
        'PROJECTS',
        'project_id;cost;name',
        ...projects.map(row),
        'VOTES',
        'voter_id;vote;age',
        ...voteRows.map(row),
      ].join('\n');
    });

  it('parse(write(parse(x))) equals parse(x), and writing is stable', () => {
    fc.assert(
      fc.property(electionArbitrary, (file) => {
        const parsed = parsePabulib(file);
        const written = writePabulib(parsed);
        expect(parsePabulib(written)).toEqual(parsed);
        expect(writePabulib(parsePabulib(written))).toBe(written);
      }),
    );
  });
});
