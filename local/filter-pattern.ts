/**
 * Local evaluation of Lambda event-source-mapping filter patterns (FilterCriteria), so stream
 * consumers see locally exactly the records Lambda would hand them in AWS.
 *
 * Lambda uses EventBridge pattern semantics (the `aws/event-ruler` engine). Implemented subset:
 * - nested objects: every key of the pattern must match (AND); keys absent from the pattern are ignored;
 * - a list at a leaf: the field matches if its value matches ANY entry (OR). Entries are exact
 *   values (string, number, boolean, null) or one-key operator objects:
 *   `{ prefix }`, `{ suffix }`, `{ 'equals-ignore-case' }`, `{ exists }`, `{ 'anything-but' }`, `{ numeric }`;
 * - `$or: [pattern, ...]` inside an object;
 * - an array in the record matches if any of its elements matches.
 *
 * Semantics worth knowing, all as in EventBridge:
 * - Only leaf values (scalars) are matched. `{ exists: true }` on `NewImage.status` does NOT match,
 *   because its value is the object `{ S: '...' }`; write `{ status: { S: [{ exists: true }] } }`.
 * - Exact matching compares type and value: the string "5" never equals the number 5.
 * - `numeric` only applies to JSON numbers. DynamoDB `N` values are strings in stream records,
 *   so `{ N: [{ numeric: ['>', 0] }] }` never matches; match `N` with exact strings instead.
 *   (Numbers in the record are e.g. `dynamodb.SizeBytes` and `ApproximateCreationDateTime`.)
 * - `anything-but` and `numeric` need the field to be present; a missing field matches only
 *   `{ exists: false }`.
 *
 * Anything outside this subset is rejected by {@link validateFilterPattern} rather than guessed.
 */

export class FilterPatternError extends Error {
  override name = 'FilterPatternError';
}

type Scalar = string | number | boolean | null;
type PatternObject = { [key: string]: unknown };

const OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'exists', 'anything-but', 'numeric']);
const NUMERIC_COMPARATORS = new Set(['<', '<=', '=', '>=', '>']);

/** True if `record` satisfies `pattern`. Throws {@link FilterPatternError} for an unsupported pattern. */
export function matchesFilterPattern(pattern: object, record: object): boolean {
  validateFilterPattern(pattern);
  return matchObject(pattern as PatternObject, record);
}

/**
 * Validates the patterns once and returns a predicate that is true when any pattern matches,
 * as Lambda does with the filters of one FilterCriteria. No patterns lets every record through.
 */
export function createRecordFilter(patterns: readonly object[]): (record: object) => boolean {
  patterns.forEach((pattern, index) => validateFilterPattern(pattern, `filterPatterns[${index}]`));
  if (patterns.length === 0) return () => true;
  return (record) => patterns.some((pattern) => matchObject(pattern as PatternObject, record));
}

/** Throws {@link FilterPatternError} naming the path of the first construct we do not support. */
export function validateFilterPattern(pattern: unknown, path = '$'): void {
  if (!isPlainObject(pattern)) throw new FilterPatternError(`${path}: a pattern must be an object`);
  for (const [key, value] of Object.entries(pattern)) {
    const here = `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) {
        throw new FilterPatternError(`${here}: $or needs a list of at least two patterns`);
      }
      value.forEach((alternative, index) => validateFilterPattern(alternative, `${here}[${index}]`));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new FilterPatternError(`${here}: an empty list matches nothing`);
      value.forEach((rule, index) => validateRule(rule, `${here}[${index}]`));
    } else if (isPlainObject(value)) {
      validateFilterPattern(value, here);
    } else {
      throw new FilterPatternError(`${here}: a leaf must be a list of values, e.g. ["INSERT"]`);
    }
  }
}

function validateRule(rule: unknown, path: string): void {
  if (isScalar(rule)) return;
  if (!isPlainObject(rule)) throw new FilterPatternError(`${path}: expected a value or an operator object`);
  const keys = Object.keys(rule);
  const operator = keys[0];
  if (keys.length !== 1 || operator === undefined || !OPERATORS.has(operator)) {
    throw new FilterPatternError(`${path}: unsupported operator ${JSON.stringify(keys)}`);
  }
  const operand = rule[operator];
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof operand !== 'string') throw new FilterPatternError(`${path}: ${operator} takes a string`);
      return;
    case 'exists':
      if (typeof operand !== 'boolean') throw new FilterPatternError(`${path}: exists takes true or false`);
      return;
    case 'anything-but':
      if (isScalar(operand)) return;
      if (Array.isArray(operand) && operand.length > 0 && operand.every(isScalar)) return;
      if (isPlainObject(operand) && Object.keys(operand).length === 1 && typeof operand['prefix'] === 'string') return;
      throw new FilterPatternError(`${path}: anything-but takes a value, a list of values or { prefix: string }`);
    case 'numeric':
      validateNumeric(operand, path);
      return;
  }
}

function validateNumeric(operand: unknown, path: string): void {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    throw new FilterPatternError(`${path}: numeric takes one or two [comparator, number] pairs`);
  }
  for (let i = 0; i < operand.length; i += 2) {
    const comparator = operand[i];
    const bound = operand[i + 1];
    if (typeof comparator !== 'string' || !NUMERIC_COMPARATORS.has(comparator) || typeof bound !== 'number') {
      throw new FilterPatternError(`${path}: numeric pair ${JSON.stringify([comparator, bound])} is invalid`);
    }
  }
}

function matchObject(pattern: PatternObject, value: unknown): boolean {
  return Object.entries(pattern).every(([key, subPattern]) => {
    if (key === '$or') return (subPattern as PatternObject[]).some((alternative) => matchObject(alternative, value));
    const fieldValue = isPlainObject(value) ? value[key] : undefined;
    if (Array.isArray(subPattern)) return matchLeaf(subPattern, fieldValue);
    return matchNested(subPattern as PatternObject, fieldValue);
  });
}

function matchNested(pattern: PatternObject, value: unknown): boolean {
  if (Array.isArray(value)) return value.some((element) => matchNested(pattern, element));
  if (isPlainObject(value)) return matchObject(pattern, value);
  // The field is missing (or a scalar where the pattern expects an object): only patterns
  // made entirely of `exists: false` leaves can be satisfied.
  return onlyRequiresAbsence(pattern);
}

function onlyRequiresAbsence(pattern: PatternObject): boolean {
  return Object.entries(pattern).every(([key, subPattern]) => {
    if (key === '$or') return (subPattern as PatternObject[]).some(onlyRequiresAbsence);
    if (Array.isArray(subPattern)) return subPattern.some(isExistsFalse);
    return onlyRequiresAbsence(subPattern as PatternObject);
  });
}

function matchLeaf(rules: readonly unknown[], value: unknown): boolean {
  const leafValues = collectLeafValues(value);
  return rules.some((rule) => {
    if (isPlainObject(rule) && 'exists' in rule) return rule['exists'] === leafValues.length > 0;
    return leafValues.some((leaf) => matchRule(rule, leaf));
  });
}

/** Scalars at this path: the value itself, or the scalar elements of an array. Objects are not leaves. */
function collectLeafValues(value: unknown): Scalar[] {
  if (isScalar(value)) return [value];
  if (Array.isArray(value)) return value.flatMap((element) => (isScalar(element) ? [element] : []));
  return [];
}

function matchRule(rule: unknown, leaf: Scalar): boolean {
  if (!isPlainObject(rule)) return rule === leaf;
  const [operator, operand] = Object.entries(rule)[0] as [string, unknown];
  switch (operator) {
    case 'prefix':
      return typeof leaf === 'string' && leaf.startsWith(operand as string);
    case 'suffix':
      return typeof leaf === 'string' && leaf.endsWith(operand as string);
    case 'equals-ignore-case':
      return typeof leaf === 'string' && leaf.toLowerCase() === (operand as string).toLowerCase();
    case 'anything-but':
      return matchAnythingBut(operand, leaf);
    case 'numeric':
      return typeof leaf === 'number' && matchNumeric(operand as (string | number)[], leaf);
    default:
      return false;
  }
}

function matchAnythingBut(operand: unknown, leaf: Scalar): boolean {
  if (isPlainObject(operand)) return !(typeof leaf === 'string' && leaf.startsWith(operand['prefix'] as string));
  const excluded = Array.isArray(operand) ? operand : [operand];
  return !excluded.includes(leaf);
}

function matchNumeric(conditions: readonly (string | number)[], leaf: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const bound = conditions[i + 1] as number;
    const holds = {
      '<': leaf < bound,
      '<=': leaf <= bound,
      '=': leaf === bound,
      '>=': leaf >= bound,
      '>': leaf > bound,
    }[conditions[i] as '<' | '<=' | '=' | '>=' | '>'];
    if (!holds) return false;
  }
  return true;
}

function isExistsFalse(rule: unknown): boolean {
  return isPlainObject(rule) && rule['exists'] === false;
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isPlainObject(value: unknown): value is PatternObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
