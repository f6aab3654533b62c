import { describe, expect, it } from 'vitest';
import {
  FilterPatternError,
  createRecordFilter,
  matchesFilterPattern,
  validateFilterPattern,
} from '../../local/filter-pattern.ts';

/** The example record of the AWS Lambda guide, "Using event filtering with a DynamoDB event source". */
const customerRecord = {
  eventID: '1',
  eventName: 'INSERT',
  eventVersion: '1.0',
  dynamodb: {
    ApproximateCreationDateTime: 1678831218,
    Keys: { CustomerName: { S: 'AnyCompany Industries' } },
    NewImage: {
      AccountManager: { S: 'Pat Candella' },
      PaymentTerms: { S: '60 days' },
      CustomerName: { S: 'AnyCompany Industries' },
    },
    SequenceNumber: '111',
    SizeBytes: 26,
    StreamViewType: 'NEW_IMAGE',
  },
};

describe('DynamoDB filtering examples from the AWS Lambda guide', () => {
  it('filters on a table key', () => {
    expect(matchesFilterPattern({ dynamodb: { Keys: { CustomerName: { S: ['AnyCompany Industries'] } } } }, customerRecord)).toBe(true);
    expect(matchesFilterPattern({ dynamodb: { Keys: { CustomerName: { S: ['Other Corp'] } } } }, customerRecord)).toBe(false);
  });

  it('filters on a NewImage attribute with a list of allowed values (OR)', () => {
    const pattern = { dynamodb: { NewImage: { AccountManager: { S: ['Pat Candella', 'Shirley Rodriguez'] } } } };
    expect(matchesFilterPattern(pattern, customerRecord)).toBe(true);
    const shirley = structuredClone(customerRecord);
    shirley.dynamodb.NewImage.AccountManager.S = 'Shirley Rodriguez';
    expect(matchesFilterPattern(pattern, shirley)).toBe(true);
    shirley.dynamodb.NewImage.AccountManager.S = 'Someone Else';
    expect(matchesFilterPattern(pattern, shirley)).toBe(false);
  });

  it('combines fields with AND (boolean expressions example)', () => {
    const pattern = {
      dynamodb: { NewImage: { AccountManager: { S: ['Pat Candella'] }, PaymentTerms: { S: ['60 days', '90 days'] } } },
    };
    expect(matchesFilterPattern(pattern, customerRecord)).toBe(true);
    const thirtyDays = structuredClone(customerRecord);
    thirtyDays.dynamodb.NewImage.PaymentTerms.S = '30 days';
    expect(matchesFilterPattern(pattern, thirtyDays)).toBe(false);
  });

  it('applies exists to leaf nodes only, as the guide warns', () => {
    expect(matchesFilterPattern({ dynamodb: { NewImage: { AccountManager: { S: [{ exists: true }] } } } }, customerRecord)).toBe(true);
    // AccountManager is an intermediate node ({ S: ... }): exists cannot see it.
    expect(matchesFilterPattern({ dynamodb: { NewImage: { AccountManager: [{ exists: true }] } } }, customerRecord)).toBe(false);
    expect(matchesFilterPattern({ dynamodb: { NewImage: { Discount: { N: [{ exists: false }] } } } }, customerRecord)).toBe(true);
    expect(matchesFilterPattern({ dynamodb: { NewImage: { AccountManager: { S: [{ exists: false }] } } } }, customerRecord)).toBe(false);
  });

  it('matches a numeric key by its string form (multi-level filtering example)', () => {
    const record = { dynamodb: { Keys: { Id: { N: '101' } }, NewImage: { Message: { S: 'New item!' }, Id: { N: '101' } } } };
    expect(matchesFilterPattern({ dynamodb: { Keys: { Id: { N: ['101'] } } } }, record)).toBe(true);
    // Numbers compare as written: the string "101" is not the number 101, nor "101.0".
    expect(matchesFilterPattern({ dynamodb: { Keys: { Id: { N: [101] } } } }, record)).toBe(false);
    expect(matchesFilterPattern({ dynamodb: { Keys: { Id: { N: ['101.0'] } } } }, record)).toBe(false);
  });

  it('does not apply numeric comparisons to DynamoDB N values, which are strings', () => {
    const record = { dynamodb: { NewImage: { quantity: { N: '50' } } } };
    expect(matchesFilterPattern({ dynamodb: { NewImage: { quantity: { N: [{ numeric: ['>', 0] }] } } } }, record)).toBe(false);
  });

  it('filters on the event name, e.g. only new items of one kind', () => {
    const pattern = { eventName: ['INSERT'], dynamodb: { NewImage: { CustomerName: { S: [{ prefix: 'AnyCompany' }] } } } };
    expect(matchesFilterPattern(pattern, customerRecord)).toBe(true);
    expect(matchesFilterPattern(pattern, { ...customerRecord, eventName: 'MODIFY' })).toBe(false);
  });

  it('supports an OldImage condition that only holds when the attribute changed', () => {
    // "status became DONE": MODIFY with NewImage DONE and OldImage anything but DONE.
    const pattern = {
      eventName: ['MODIFY'],
      dynamodb: { NewImage: { status: { S: ['DONE'] } }, OldImage: { status: { S: [{ 'anything-but': ['DONE'] }] } } },
    };
    const modify = (before: string, after: string) => ({
      eventName: 'MODIFY',
      dynamodb: { NewImage: { status: { S: after } }, OldImage: { status: { S: before } } },
    });
    expect(matchesFilterPattern(pattern, modify('RUNNING', 'DONE'))).toBe(true);
    expect(matchesFilterPattern(pattern, modify('DONE', 'DONE'))).toBe(false);
    expect(matchesFilterPattern(pattern, modify('DONE', 'RUNNING'))).toBe(false);
  });

  it('lets an INSERT (no OldImage) satisfy an exists: false condition on the old image', () => {
    const pattern = { dynamodb: { OldImage: { status: { S: [{ exists: false }] } } } };
    expect(matchesFilterPattern(pattern, customerRecord)).toBe(true);
    expect(matchesFilterPattern({ dynamodb: { OldImage: { status: { S: ['x'] } } } }, customerRecord)).toBe(false);
  });
});

describe('EventBridge pattern operators', () => {
  const event = { detail: { state: 'running', count: 3, price: 150.5, region: 'us-east-1', nothing: null, empty: '', tags: ['a', 'b'], file: 'x.PNG' } };

  it('matches numeric ranges on JSON numbers', () => {
    expect(matchesFilterPattern({ detail: { count: [{ numeric: ['>', 0, '<=', 5] }] } }, event)).toBe(true);
    expect(matchesFilterPattern({ detail: { count: [{ numeric: ['>', 3] }] } }, event)).toBe(false);
    expect(matchesFilterPattern({ detail: { count: [{ numeric: ['=', 3] }] } }, event)).toBe(true);
    expect(matchesFilterPattern({ detail: { price: [{ numeric: ['>=', 150.5, '<', 151] }] } }, event)).toBe(true);
    expect(matchesFilterPattern({ detail: { state: [{ numeric: ['>', 0] }] } }, event)).toBe(false);
    expect(matchesFilterPattern({ detail: { missing: [{ numeric: ['>', 0] }] } }, event)).toBe(false);
  });

  it('matches prefix, suffix and equals-ignore-case', () => {
    expect(matchesFilterPattern({ detail: { region: [{ prefix: 'us-' }] } }, event)).toBe(true);
    expect(matchesFilterPattern({ detail: { region: [{ prefix: 'eu-' }] } }, event)).toBe(false);
    expect(matchesFilterPattern({ detail: { file: [{ suffix: '.PNG' }] } }, event)).toBe(true);
    expect(matchesFilterPattern({ detail: { state: [{ 'equals-ignore-case': 'RUNNING' }] } }, event)).toBe(true);
  });

  it('matches anything-but with a value, a list, or a prefix; never a missing field', () => {
    expect(matchesFilterPattern({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, event)).toBe(true);
    expect(matchesFilterPattern({ detail: { state: [{ 'anything-but': 'running' }] } }, event)).toBe(false);
    expect(matchesFilterPattern({ detail: { state: [{ 'anything-but': { prefix: 'run' } }] } }, event)).toBe(false);
    expect(matchesFilterPattern({ detail: { count: [{ 'anything-but': [1, 2] }] } }, event)).toBe(true);
    expect(matchesFilterPattern({ detail: { missing: [{ 'anything-but': ['x'] }] } }, event)).toBe(false);
  });

  it('matches null and the empty string exactly, and not a missing field', () => {
    expect(matchesFilterPattern({ detail: { nothing: [null] } }, event)).toBe(true);
    expect(matchesFilterPattern({ detail: { missing: [null] } }, event)).toBe(false);
    expect(matchesFilterPattern({ detail: { empty: [''] } }, event)).toBe(true);
    expect(matchesFilterPattern({ detail: { nothing: [{ exists: true }] } }, event)).toBe(true);
  });

  it('matches an array in the event if any element matches', () => {
    expect(matchesFilterPattern({ detail: { tags: ['b', 'z'] } }, event)).toBe(true);
    expect(matchesFilterPattern({ detail: { tags: ['z'] } }, event)).toBe(false);
  });

  it('supports $or between alternative sub-patterns', () => {
    const pattern = { detail: { $or: [{ state: ['stopped'] }, { count: [{ numeric: ['<', 5] }] }] } };
    expect(matchesFilterPattern(pattern, event)).toBe(true);
    expect(matchesFilterPattern({ detail: { $or: [{ state: ['stopped'] }, { count: [9] }] } }, event)).toBe(false);
  });

  it('ignores fields the pattern does not name, and an empty pattern matches everything', () => {
    expect(matchesFilterPattern({ detail: { state: ['running'] } }, event)).toBe(true);
    expect(matchesFilterPattern({}, event)).toBe(true);
  });
});

describe('pattern validation', () => {
  it.each([
    [{ eventName: 'INSERT' }, 'a leaf must be a list'],
    [{ eventName: [] }, 'an empty list'],
    [{ eventName: [{ wildcard: 'IN*' }] }, 'unsupported operator'],
    [{ eventName: [{ prefix: 'A', suffix: 'B' }] }, 'unsupported operator'],
    [{ n: [{ numeric: ['>', '5'] }] }, 'numeric pair'],
    [{ n: [{ numeric: ['>', 5, '<'] }] }, 'numeric takes'],
    [{ n: [{ exists: 'yes' }] }, 'exists takes'],
    [{ $or: [{ a: ['x'] }] }, '$or needs'],
  ])('rejects %j', (pattern, message) => {
    expect(() => validateFilterPattern(pattern)).toThrow(FilterPatternError);
    expect(() => validateFilterPattern(pattern)).toThrow(message);
  });

  it('builds a filter that lets everything through without patterns and ORs several patterns', () => {
    expect(createRecordFilter([])(customerRecord)).toBe(true);
    const insertsOrRemoves = createRecordFilter([{ eventName: ['INSERT'] }, { eventName: ['REMOVE'] }]);
    expect(insertsOrRemoves({ eventName: 'REMOVE' })).toBe(true);
    expect(insertsOrRemoves({ eventName: 'MODIFY' })).toBe(false);
    expect(() => createRecordFilter([{ eventName: ['INSERT'] }, { eventName: 'MODIFY' }])).toThrow('filterPatterns[1].eventName');
  });
});
