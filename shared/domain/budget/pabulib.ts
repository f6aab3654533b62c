/**
 * Reading and writing the Pabulib `.pb` format (https://pabulib.org/format).
 *
 * A file has three sections, META, PROJECTS and VOTES, each a title line, a `;`-separated header
 * line and rows. Fields follow CSV quoting: a field holding `;`, `"`, a line break or surrounding
 * spaces is wrapped in `"` with inner quotes doubled. Unquoted fields are trimmed, as pabutools does.
 *
 * Numbers: counts, costs and the budget are whole numbers kept as JavaScript `number`s. A value
 * above Number.MAX_SAFE_INTEGER (about 9 * 10^15) is rejected rather than silently rounded; that is
 * far above any city budget in its smallest currency unit. A decimal with a zero fraction
 * (`500000.00`) is read as the integer; any other fraction is an error (scale money to cents first).
 *
 * Free text (names, categories, coordinates, dates, unknown keys and columns) stays a string, and
 * the order of META keys and of columns is kept in `layout`, so writing reproduces the file's shape.
 */

export type PbVoteType = 'approval' | 'ordinal' | 'cumulative' | 'scoring' | 'choose-1';

export const PB_VOTE_TYPES: readonly PbVoteType[] = ['approval', 'ordinal', 'cumulative', 'scoring', 'choose-1'];

export interface PbMeta {
  readonly description: string;
  readonly country: string;
  readonly unit: string;
  readonly instance: string;
  readonly numProjects: number;
  readonly numVotes: number;
  readonly budget: number;
  readonly voteType: PbVoteType;
  /** Pabulib rule name as written (greedy, equalshares/add1, ...); interpreted by from-pabulib. */
  readonly rule: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minSumCost?: number;
  readonly maxSumCost?: number;
  readonly minPoints?: number;
  readonly maxPoints?: number;
  readonly minSumPoints?: number;
  readonly maxSumPoints?: number;
  readonly minProjectScoreThreshold?: number;
  /** Every other META key (district, currency, comment, date_begin, ...) with its raw value. */
  readonly extra: Readonly<Record<string, string>>;
}

export interface PbProject {
  readonly projectId: string;
  readonly cost: number;
  readonly votes?: number;
  readonly score?: number;
  /** 1 funded, 0 not; Pabulib uses 2 for special cases explained in a META comment. */
  readonly selected?: number;
  /** Every other column (name, category, latitude, ...) with its raw value. */
  readonly extra: Readonly<Record<string, string>>;
}

export interface PbVote {
  readonly voterId: string;
  /** Project ids; for ordinal ballots the most preferred first. */
  readonly vote: readonly string[];
  /** Points per entry of `vote`, when the file has a points column. */
  readonly points?: readonly number[];
  /** Every other column (age, sex, voting_method, ...) with its raw value. */
  readonly extra: Readonly<Record<string, string>>;
}

/** Order of the META keys and of the PROJECTS and VOTES columns, as read. */
export interface PbLayout {
  readonly metaKeys: readonly string[];
  readonly projectColumns: readonly string[];
  readonly voteColumns: readonly string[];
}

export interface PbElection {
  readonly meta: PbMeta;
  readonly projects: readonly PbProject[];
  readonly votes: readonly PbVote[];
  readonly layout: PbLayout;
}

export class PabulibFormatError extends Error {
  override readonly name = 'PabulibFormatError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

type MetaKind = 'text' | 'integer' | 'voteType';
type TypedMetaField = Exclude<keyof PbMeta, 'extra'>;

/** The META keys this module types, in Pabulib's documented order. */
const META_FIELDS: readonly { key: string; field: TypedMetaField; kind: MetaKind; required: boolean }[] = [
  { key: 'description', field: 'description', kind: 'text', required: true },
  { key: 'country', field: 'country', kind: 'text', required: true },
  { key: 'unit', field: 'unit', kind: 'text', required: true },
  { key: 'instance', field: 'instance', kind: 'text', required: true },
  { key: 'num_projects', field: 'numProjects', kind: 'integer', required: true },
  { key: 'num_votes', field: 'numVotes', kind: 'integer', required: true },
  { key: 'budget', field: 'budget', kind: 'integer', required: true },
  { key: 'vote_type', field: 'voteType', kind: 'voteType', required: true },
  { key: 'rule', field: 'rule', kind: 'text', required: true },
  { key: 'min_length', field: 'minLength', kind: 'integer', required: false },
  { key: 'max_length', field: 'maxLength', kind: 'integer', required: false },
  { key: 'min_sum_cost', field: 'minSumCost', kind: 'integer', required: false },
  { key: 'max_sum_cost', field: 'maxSumCost', kind: 'integer', required: false },
  { key: 'min_points', field: 'minPoints', kind: 'integer', required: false },
  { key: 'max_points', field: 'maxPoints', kind: 'integer', required: false },
  { key: 'min_sum_points', field: 'minSumPoints', kind: 'integer', required: false },
  { key: 'max_sum_points', field: 'maxSumPoints', kind: 'integer', required: false },
  { key: 'min_project_score_threshold', field: 'minProjectScoreThreshold', kind: 'integer', required: false },
];

const PROJECT_INTEGER_COLUMNS = { cost: 'cost', votes: 'votes', score: 'score', selected: 'selected' } as const;

// ---------------------------------------------------------------------------------------------
// Reading

interface Row {
  readonly line: number;
  readonly fields: readonly string[];
  /** True when the row is a single unquoted field (a candidate section title). */
  readonly bare: boolean;
}

/** Splits the text into rows of fields with CSV quoting (`;` separator), skipping blank lines. */
function readRows(text: string): Row[] {
  const rows: Row[] = [];
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const rowLine = line;
    const fields: string[] = [];
    let quotedAny = false;
    for (;;) {
      // One field.
      let start = i;
      while (start < text.length && (text[start] === ' ' || text[start] === '\t')) start++;
      if (text[start] === '"') {
        quotedAny = true;
        let value = '';
        let j = start + 1;
        for (;;) {
          if (j >= text.length) throw new PabulibFormatError(rowLine, 'a quoted field is not closed');
          const ch = text[j];
          if (ch === '"') {
            if (text[j + 1] === '"') {
              value += '"';
              j += 2;
              continue;
            }
            j++;
            break;
          }
          if (ch === '\n') line++;
          value += ch;
          j++;
        }
        while (text[j] === ' ' || text[j] === '\t') j++;
        if (j < text.length && text[j] !== ';' && text[j] !== '\n' && text[j] !== '\r') {
          throw new PabulibFormatError(line, 'unexpected text after a closing quote');
        }
        fields.push(value);
        i = j;
      } else {
        let j = i;
        while (j < text.length && text[j] !== ';' && text[j] !== '\n' && text[j] !== '\r') j++;
        fields.push(text.slice(i, j).trim());
        i = j;
      }
      if (text[i] === ';') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    const blank = fields.length === 1 && !quotedAny && fields[0] === '';
    if (!blank) rows.push({ line: rowLine, fields, bare: fields.length === 1 && !quotedAny });
  }
  return rows;
}

function parseInteger(value: string, line: number, what: string): number {
  const match = /^(-?\d+)(?:\.0*)?$/.exec(value);
  if (!match?.[1]) throw new PabulibFormatError(line, `${what} must be a whole number, got "${value}"`);
  const n = Number(match[1]);
  if (!Number.isSafeInteger(n)) {
    throw new PabulibFormatError(line, `${what} ${value} is larger than ${Number.MAX_SAFE_INTEGER}`);
  }
  return n === 0 ? 0 : n; // no -0
}

function parseNonNegative(value: string, line: number, what: string): number {
  const n = parseInteger(value, line, what);
  if (n < 0) throw new PabulibFormatError(line, `${what} must not be negative, got ${value}`);
  return n;
}

function parseIdList(value: string): string[] {
  return value === '' ? [] : value.split(',').map((id) => id.trim());
}

interface Section {
  readonly title: 'META' | 'PROJECTS' | 'VOTES';
  readonly line: number;
  readonly header: readonly string[];
  readonly headerLine: number;
  readonly rows: readonly Row[];
}

function splitSections(rows: readonly Row[], endLine: number): Map<Section['title'], Section> {
  const sections = new Map<Section['title'], Section>();
  let current: { title: Section['title']; line: number; header?: Row; rows: Row[] } | undefined;
  const close = () => {
    if (!current) return;
    if (!current.header) throw new PabulibFormatError(current.line + 1, `section ${current.title} has no header line`);
    sections.set(current.title, {
      title: current.title,
      line: current.line,
      header: current.header.fields,
      headerLine: current.header.line,
      rows: current.rows,
    });
  };
  for (const row of rows) {
    const title = row.bare ? row.fields[0]?.toUpperCase() : undefined;
    if (title === 'META' || title === 'PROJECTS' || title === 'VOTES') {
      if (sections.has(title) || current?.title === title) {
        throw new PabulibFormatError(row.line, `section ${title} appears twice`);
      }
      close();
      current = { title, line: row.line, rows: [] };
    } else if (!current) {
      throw new PabulibFormatError(row.line, 'the file must start with the META section title');
    } else if (!current.header) {
      current.header = row;
    } else {
      current.rows.push(row);
    }
  }
  close();
  for (const title of ['META', 'PROJECTS', 'VOTES'] as const) {
    if (!sections.has(title)) throw new PabulibFormatError(endLine, `section ${title} is missing`);
  }
  return sections;
}

function checkHeader(section: Section, required: readonly string[]): void {
  const seen = new Set<string>();
  for (const column of section.header) {
    if (column === '') throw new PabulibFormatError(section.headerLine, `${section.title} has an empty column name`);
    if (seen.has(column)) {
      throw new PabulibFormatError(section.headerLine, `${section.title} column "${column}" appears twice`);
    }
    seen.add(column);
  }
  for (const column of required) {
    if (!seen.has(column)) {
      throw new PabulibFormatError(section.headerLine, `${section.title} has no "${column}" column`);
    }
  }
}

function checkWidth(section: Section, row: Row): void {
  if (row.fields.length !== section.header.length) {
    throw new PabulibFormatError(
      row.line,
      `${section.title} row has ${row.fields.length} fields but the header has ${section.header.length}`,
    );
  }
}

function parseMeta(section: Section): { meta: PbMeta; keys: string[] } {
  if (section.header.length !== 2 || section.header[0] !== 'key' || section.header[1] !== 'value') {
    throw new PabulibFormatError(section.headerLine, 'the META header must be "key;value"');
  }
  const raw = new Map<string, { value: string; line: number }>();
  for (const row of section.rows) {
    checkWidth(section, row);
    const [key = '', value = ''] = row.fields;
    if (key === '') throw new PabulibFormatError(row.line, 'META key is empty');
    if (raw.has(key)) throw new PabulibFormatError(row.line, `META key "${key}" appears twice`);
    raw.set(key, { value, line: row.line });
  }
  const typed: Record<string, string | number> = {};
  for (const { key, field, kind, required } of META_FIELDS) {
    const entry = raw.get(key);
    if (!entry) {
      if (required) throw new PabulibFormatError(section.line, `META has no required key "${key}"`);
      continue;
    }
    if (kind === 'integer') {
      typed[field] = parseInteger(entry.value, entry.line, `META ${key}`);
    } else if (kind === 'voteType') {
      if (!(PB_VOTE_TYPES as readonly string[]).includes(entry.value)) {
        throw new PabulibFormatError(entry.line, `META vote_type must be one of ${PB_VOTE_TYPES.join(', ')}`);
      }
      typed[field] = entry.value;
    } else {
      typed[field] = entry.value;
    }
  }
  const known = new Set(META_FIELDS.map((f) => f.key));
  const extra: Record<string, string> = {};
  for (const [key, { value }] of raw) if (!known.has(key)) extra[key] = value;
  const meta = { ...typed, extra } as unknown as PbMeta;
  const budgetLine = raw.get('budget')?.line ?? section.line;
  if (meta.budget < 0) throw new PabulibFormatError(budgetLine, 'META budget must not be negative');
  return { meta, keys: [...raw.keys()] };
}

function parseProjects(section: Section): PbProject[] {
  checkHeader(section, ['project_id', 'cost']);
  const ids = new Set<string>();
  return section.rows.map((row) => {
    checkWidth(section, row);
    const project: Record<string, unknown> = {};
    const extra: Record<string, string> = {};
    section.header.forEach((column, index) => {
      const value = row.fields[index] ?? '';
      if (column === 'project_id') {
        if (value === '') throw new PabulibFormatError(row.line, 'project_id is empty');
        if (ids.has(value)) throw new PabulibFormatError(row.line, `project_id "${value}" appears twice`);
        ids.add(value);
        project.projectId = value;
      } else if (column in PROJECT_INTEGER_COLUMNS) {
        const field = PROJECT_INTEGER_COLUMNS[column as keyof typeof PROJECT_INTEGER_COLUMNS];
        if (column === 'cost' || value !== '') project[field] = parseNonNegative(value, row.line, `project ${column}`);
      } else {
        extra[column] = value;
      }
    });
    project.extra = extra;
    return project as unknown as PbProject;
  });
}

function parseVotes(section: Section, meta: PbMeta, projectIds: ReadonlySet<string>): PbVote[] {
  const pointsRequired = meta.voteType === 'cumulative' || meta.voteType === 'scoring';
  checkHeader(section, pointsRequired ? ['voter_id', 'vote', 'points'] : ['voter_id', 'vote']);
  const voterIds = new Set<string>();
  return section.rows.map((row) => {
    checkWidth(section, row);
    const vote: Record<string, unknown> = {};
    const extra: Record<string, string> = {};
    section.header.forEach((column, index) => {
      const value = row.fields[index] ?? '';
      if (column === 'voter_id') {
        if (value === '') throw new PabulibFormatError(row.line, 'voter_id is empty');
        if (voterIds.has(value)) throw new PabulibFormatError(row.line, `voter_id "${value}" appears twice`);
        voterIds.add(value);
        vote.voterId = value;
      } else if (column === 'vote') {
        const chosen = parseIdList(value);
        const seen = new Set<string>();
        for (const id of chosen) {
          if (!projectIds.has(id)) throw new PabulibFormatError(row.line, `vote names unknown project "${id}"`);
          if (seen.has(id)) throw new PabulibFormatError(row.line, `vote names project "${id}" twice`);
          seen.add(id);
        }
        vote.vote = chosen;
      } else if (column === 'points') {
        vote.points = parseIdList(value).map((p) => parseInteger(p, row.line, 'points'));
      } else {
        extra[column] = value;
      }
    });
    const points = vote.points as number[] | undefined;
    if (points && points.length !== (vote.vote as string[]).length) {
      throw new PabulibFormatError(row.line, `vote lists ${(vote.vote as string[]).length} projects but ${points.length} points`);
    }
    vote.extra = extra;
    return vote as unknown as PbVote;
  });
}

/** Parses a `.pb` file. Throws PabulibFormatError naming the line and what is wrong. */
export function parsePabulib(text: string): PbElection {
  const rows = readRows(text);
  const lastLine = rows.at(-1)?.line ?? 1;
  const sections = splitSections(rows, lastLine);
  const metaSection = sections.get('META')!;
  const projectSection = sections.get('PROJECTS')!;
  const voteSection = sections.get('VOTES')!;

  const { meta, keys } = parseMeta(metaSection);
  const projects = parseProjects(projectSection);
  const votes = parseVotes(voteSection, meta, new Set(projects.map((p) => p.projectId)));
  if (projects.length !== meta.numProjects) {
    throw new PabulibFormatError(projectSection.line, `META num_projects is ${meta.numProjects} but PROJECTS has ${projects.length} rows`);
  }
  if (votes.length !== meta.numVotes) {
    throw new PabulibFormatError(voteSection.line, `META num_votes is ${meta.numVotes} but VOTES has ${votes.length} rows`);
  }
  return {
    meta,
    projects,
    votes,
    layout: { metaKeys: keys, projectColumns: projectSection.header, voteColumns: voteSection.header },
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

function quote(value: string): string {
  return /[;"\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function writeRow(fields: readonly string[]): string {
  return fields.map(quote).join(';');
}

/** Columns (or META keys) in the recorded order, then any the layout does not mention. */
function inLayoutOrder(recorded: readonly string[], present: readonly string[]): string[] {
  const seen = new Set(recorded);
  return [...recorded, ...present.filter((key) => !seen.has(key))];
}

function metaValue(meta: PbMeta, key: string): string | undefined {
  const known = META_FIELDS.find((f) => f.key === key);
  if (!known) return meta.extra[key];
  const value = meta[known.field];
  return value === undefined ? undefined : String(value);
}

function projectValue(project: PbProject, column: string): string {
  if (column === 'project_id') return project.projectId;
  if (column in PROJECT_INTEGER_COLUMNS) {
    const value = project[PROJECT_INTEGER_COLUMNS[column as keyof typeof PROJECT_INTEGER_COLUMNS]];
    return value === undefined ? '' : String(value);
  }
  return project.extra[column] ?? '';
}

function voteValue(vote: PbVote, column: string): string {
  if (column === 'voter_id') return vote.voterId;
  if (column === 'vote') return vote.vote.join(',');
  if (column === 'points') return vote.points?.join(',') ?? '';
  return vote.extra[column] ?? '';
}

/**
 * Writes an election as `.pb` text (LF line ends by default; Pabulib's own files use CRLF).
 * parsePabulib(writePabulib(e)) deep-equals e for any e that parsePabulib produced.
 */
export function writePabulib(election: PbElection, options: { lineEnding?: '\n' | '\r\n' } = {}): string {
  const { meta, projects, votes, layout } = election;
  const metaKeys = inLayoutOrder(layout.metaKeys, [
    ...META_FIELDS.filter((f) => meta[f.field] !== undefined).map((f) => f.key),
    ...Object.keys(meta.extra),
  ]);
  const projectColumns = inLayoutOrder(layout.projectColumns, [
    'project_id',
    'cost',
    ...(['votes', 'score', 'selected'] as const).filter((c) => projects.some((p) => p[c] !== undefined)),
    ...new Set(projects.flatMap((p) => Object.keys(p.extra))),
  ]);
  const voteColumns = inLayoutOrder(layout.voteColumns, [
    'voter_id',
    'vote',
    ...(votes.some((v) => v.points !== undefined) ? ['points'] : []),
    ...new Set(votes.flatMap((v) => Object.keys(v.extra))),
  ]);

  const lines: string[] = ['META', 'key;value'];
  for (const key of metaKeys) {
    const value = metaValue(meta, key);
    if (value !== undefined) lines.push(writeRow([key, value]));
  }
  lines.push('PROJECTS', writeRow(projectColumns));
  for (const project of projects) lines.push(writeRow(projectColumns.map((c) => projectValue(project, c))));
  lines.push('VOTES', writeRow(voteColumns));
  for (const vote of votes) lines.push(writeRow(voteColumns.map((c) => voteValue(vote, c))));
  const eol = options.lineEnding ?? '\n';
  return lines.join(eol) + eol;
}
