/**
 * fast-check arbitraries for fuzzing the API from its own route table: valid-looking values from a
 * route's zod schemas (through their JSON Schema), hostile strings, and bodies that the schema
 * refuses by construction.
 */
import fc from 'fast-check';
import * as z from 'zod';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

/** The JSON Schema of what a client may send (input side of the zod schema), as the OpenAPI document has it. */
export const jsonSchemaOf = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;

// ---------------------------------------------------------------------------------------------
// Hostile text

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Printable pieces that break naive text handling: lone surrogates, bidi controls, emoji, combining marks, injection-looking text. */
export const hostilePrintable: fc.Arbitrary<string> = fc.oneof(
  loneSurrogate,
  fc.constantFrom(
    '\u200F', // RIGHT-TO-LEFT MARK
    '\u202E', // RIGHT-TO-LEFT OVERRIDE
    '\u2066', // LEFT-TO-RIGHT ISOLATE
    '\u200D', // ZERO WIDTH JOINER
    '\uFEFF', // BOM / ZWNBSP
    '\u2028', // LINE SEPARATOR
    '\u0301', // combining acute
    '🇺🇦',
    '👩🏽‍💻',
    '𝕳𝖗𝖔𝖒𝖆𝖉𝖆',
    'עברית',
    'العربية',
    '\t',
    '\n',
    '\r\n',
    '"\'`<script>alert(1)</script>',
    '${jndi:ldap://x}',
    '{{7*7}}',
    "'; DROP TABLE--",
    '%00',
    '\\u0000',
    '../',
    'Ї',
  ),
);

/** Control characters (NUL, DEL, ESC): refused in people's text by the schemas. */
export const controlPiece: fc.Arbitrary<string> = fc.constantFrom('\u0000', '\u007F', '\u001B[31m', '\u0008', '\u000B');

/** Any hostile piece. */
export const edgePiece: fc.Arbitrary<string> = fc.oneof({ weight: 5, arbitrary: hostilePrintable }, { weight: 1, arbitrary: controlPiece });

const ukrainianWord = fc.constantFrom('петиція', 'громада', 'парк', 'лавки', 'освітлення', 'школа', 'бюджет', 'Тернопіль', 'ґанок', "м'ята");

/** Text of a person, usually readable, often with hostile pieces, length (UTF-16 units) in [min, max]. */
export function humanTextArb(min: number, max: number): fc.Arbitrary<string> {
  const upper = Math.max(min, Math.min(max, min + 80));
  const body = fc
    .array(
      fc.oneof(
        { weight: 40, arbitrary: ukrainianWord },
        { weight: 30, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
        { weight: 20, arbitrary: hostilePrintable },
        // Rare: one in a hundred pieces, else every multi-field body would be refused for it.
        { weight: 1, arbitrary: controlPiece },
      ),
      {
        maxLength: 12,
      },
    )
    .map((parts) => parts.join(' '));
  const fitted = fc.tuple(body, fc.integer({ min, max: upper })).map(([text, length]) => {
    let out = text.slice(0, length);
    while (out.length < length) out += 'ї';
    return out;
  });
  return fc.oneof(
    { weight: 8, arbitrary: fitted },
    // Exactly at the limits.
    { weight: 1, arbitrary: fc.constantFrom('я'.repeat(Math.max(min, 1)), 'я'.repeat(max), '😀'.repeat(Math.floor(max / 2))) },
  );
}

// ---------------------------------------------------------------------------------------------
// Valid-looking values from a JSON Schema

function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace(/^#\/(\$defs|definitions)\//, '');
  return root.$defs?.[name] ?? {};
}

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') ?? schema.type[0];
  return schema.type;
}

/**
 * Values shaped like the schema: right types, lengths, enums and formats. They may still be
 * refused by a rule the JSON Schema cannot express (a refinement, a cross-field rule): that is the
 * point of fuzzing, not a fault of the generator.
 */
export function validLooking(schema: JsonSchema, options: { root?: JsonSchema; depth?: number; maxStringLength?: number } = {}): fc.Arbitrary<unknown> {
  const root = options.root ?? schema;
  const depth = options.depth ?? 0;
  const deeper = (child: JsonSchema) => validLooking(child, { ...options, root, depth: depth + 1 });
  const s = resolveRef(schema, root);
  if (depth > 8) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const union = s.oneOf ?? s.anyOf;
  if (union?.length) return fc.oneof(...union.map(deeper));
  if (s.allOf?.length === 1) return deeper(s.allOf[0] as JsonSchema);
  switch (typeOf(s)) {
    case 'string':
      return stringLike(options.maxStringLength === undefined ? s : { ...s, maxLength: Math.min(s.maxLength ?? Infinity, options.maxStringLength) });
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1_000_000);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1_000_000);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    }
    case 'number':
      return fc.double({ min: s.minimum ?? -1e9, max: s.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = s.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 5, minLength + 4));
      return fc.array(deeper(s.items ?? {}), { minLength, maxLength });
    }
    case 'object': {
      const properties = s.properties ?? {};
      // Date-times of one object usually describe a sequence (opens/closes, a schedule of phases):
      // generate them in increasing order, so that requests get past "ends before it starts".
      const dateKeys = Object.keys(properties).filter((key) => resolveRef(properties[key] as JsonSchema, root).format === 'date-time');
      const ordered = dateKeys.length >= 2;
      const model = Object.fromEntries(Object.entries(properties).filter(([key]) => !ordered || !dateKeys.includes(key)).map(([key, value]) => [key, deeper(value)]));
      const plain = fc.record(model, { requiredKeys: (s.required ?? []).filter((key) => key in model) });
      const record = !ordered
        ? plain
        : fc.tuple(plain, fc.array(dateAround, { minLength: dateKeys.length, maxLength: dateKeys.length }), fc.boolean())
          .map(([rest, dates, shuffled]) => {
            const sorted = shuffled ? dates : [...dates].sort((a, b) => a.getTime() - b.getTime());
            return { ...rest, ...Object.fromEntries(dateKeys.map((key, i) => [key, (sorted[i] as Date).toISOString()])) };
          });
      if (typeof s.additionalProperties === 'object') {
        return fc.tuple(record, fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), deeper(s.additionalProperties), { maxKeys: 3 }))
          .map(([known, extra]) => ({ ...extra, ...known }));
      }
      return record;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const DAY = 86_400_000;
/** Mostly near now (the last month to the next four), sometimes anywhere in 2000-2100. */
const dateAround: fc.Arbitrary<Date> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -30 * DAY, max: 120 * DAY }).map((offset) => new Date(Math.floor((Date.now() + offset) / 1000) * 1000)) },
  { weight: 1, arbitrary: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }) },
);

function stringLike(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Math.max(min, 200);
  switch (s.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'date-time':
      return dateAround.map((d) => d.toISOString());
    case 'date':
      return fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'uri':
    case 'url':
      return fc.oneof(fc.webUrl({ validSchemes: ['https'] }), fc.constantFrom('https://rada.te.ua/draft.pdf', 'https://приклад.укр/док'));
    case 'email':
      return fc.emailAddress();
    default:
      break;
  }
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern), { maxLength: max });
    } catch {
      // A pattern fast-check cannot invert: fall through to text.
    }
  }
  return humanTextArb(min, max);
}

// ---------------------------------------------------------------------------------------------
// Values that are not what the schema wants

/** Property names that trip code treating user input as plain objects. */
export const dangerousKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'then'] as const;

export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

/** A value of a JSON type other than the schema's type (or anything where the schema says nothing). */
export function wrongTypeFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const type = typeOf(schema);
  const others: fc.Arbitrary<unknown>[] = [];
  if (type !== 'string') others.push(fc.string({ maxLength: 20 }));
  if (type !== 'integer' && type !== 'number') others.push(fc.integer(), fc.constantFrom(1e308, -0, 0.5));
  if (type !== 'boolean') others.push(fc.boolean());
  if (type !== 'object') others.push(fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }));
  if (type !== 'array') others.push(fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }));
  others.push(fc.constant(null));
  return fc.oneof(...others);
}

/**
 * How to spoil a JSON body. Descriptors stay small (so a failing case prints readably); the
 * bytes are made by {@link renderSpoiledBody}.
 */
export type SpoiledBody =
  | { kind: 'not-an-object'; value: unknown }
  | { kind: 'missing-field'; base: unknown; field: string }
  | { kind: 'extra-field'; base: unknown; field: string; value: unknown }
  | { kind: 'field-of-wrong-type'; base: unknown; field: string; value: unknown }
  | { kind: 'overlong-string'; base: unknown; field: string; length: number; unit: string }
  | { kind: 'over-the-size-limit'; extraBytes: number }
  | { kind: 'deeply-nested'; shape: 'array' | 'object' | 'in-field'; depth: number; field?: string }
  | { kind: 'large-array'; items: number; field?: string; base?: unknown }
  | { kind: 'malformed-json'; text: string }
  | { kind: 'wrong-content-type'; base: unknown; contentType: string }
  | { kind: 'invalid-utf8' };

export const malformedJsonTexts = [
  '{',
  '{"a":',
  '{"title": "x",}',
  "{'title': 'x'}",
  '\uFEFF{}',
  'NaN',
  '{"a": NaN}',
  '{"a": 01}',
  '[1,2',
  '"unterminated',
  '{"a":"\\x41"}',
  '{"a":"\\ud800\\u"}',
  '<xml/>',
  'title=x&text=y',
  '\u0000',
  'null null',
];

export const wrongContentTypes = [
  'text/plain',
  'text/html; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/xml',
  'application/jsonp',
  'json',
  'application/octet-stream',
  '*/*',
  'application/json-seq',
  'application/x-json',
];

/** Spoiled bodies for a route that takes a JSON body of `schema` (at most `maxBodyBytes`). */
export function spoiledBodyArb(schema: JsonSchema, maxBodyBytes: number): fc.Arbitrary<SpoiledBody> {
  const valid = validLooking(schema);
  const s = resolveRef(schema, schema);
  const objectMembers = [s, ...(s.oneOf ?? s.anyOf ?? [])].filter((member) => typeOf(member) === 'object');
  const fields = [...new Set(objectMembers.flatMap((member) => Object.keys(member.properties ?? {})))];
  const required = [...new Set(objectMembers.flatMap((member) => member.required ?? []))];
  const stringFields = [...new Set(objectMembers.flatMap((member) =>
    Object.entries(member.properties ?? {}).filter(([, p]) => typeOf(p) === 'string' && p.maxLength !== undefined).map(([key]) => key)))];
  const arrayFields = [...new Set(objectMembers.flatMap((member) =>
    Object.entries(member.properties ?? {}).filter(([, p]) => typeOf(p) === 'array').map(([key]) => key)))];
  const maxLengthOf = (field: string) => Math.max(...objectMembers.map((member) => member.properties?.[field]?.maxLength ?? 0));

  const options: fc.Arbitrary<SpoiledBody>[] = [
    wrongTypeFor(s).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((value) => ({ kind: 'not-an-object' as const, value })),
    fc.integer({ min: 1, max: 2048 }).map((extraBytes) => ({ kind: 'over-the-size-limit' as const, extraBytes })),
    fc.record({
      shape: fc.constantFrom('array' as const, 'object' as const, 'in-field' as const),
      depth: fc.constantFrom(10_000, 5_000, 1_000, 100),
      field: fc.constantFrom(...(fields.length ? fields : ['x'])),
    }).map((d) => ({ kind: 'deeply-nested' as const, ...d })),
    fc.record({ items: fc.constantFrom(10_000, 20_000, 1_000), field: fc.option(fc.constantFrom(...(arrayFields.length ? arrayFields : ['x'])), { nil: undefined }), base: valid })
      .map((d) => ({ kind: 'large-array' as const, ...d })),
    fc.constantFrom(...malformedJsonTexts).map((text) => ({ kind: 'malformed-json' as const, text })),
    fc.record({ base: valid, contentType: fc.constantFrom(...wrongContentTypes) }).map((d) => ({ kind: 'wrong-content-type' as const, ...d })),
    fc.constant({ kind: 'invalid-utf8' as const }),
    fc.record({
      base: valid,
      field: fc.oneof(fc.constantFrom(...dangerousKeys), fc.string({ minLength: 1, maxLength: 12 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 6 })),
      value: anyJson,
    }).map((d) => ({ kind: 'extra-field' as const, ...d })),
  ];
  if (required.length) {
    options.push(fc.record({ base: valid, field: fc.constantFrom(...required) }).map((d) => ({ kind: 'missing-field' as const, ...d })));
  }
  if (fields.length) {
    options.push(fc.record({ base: valid, field: fc.constantFrom(...fields), value: anyJson }).map((d) => ({ kind: 'field-of-wrong-type' as const, ...d })));
  }
  if (stringFields.length) {
    options.push(
      fc.record({ base: valid, field: fc.constantFrom(...stringFields), extra: fc.integer({ min: 1, max: 200 }), unit: fc.constantFrom('x', 'ї', '😀', '\u0301') })
        .map(({ base, field, extra, unit }) => ({ kind: 'overlong-string' as const, base, field, unit, length: Math.min(maxLengthOf(field) + extra, maxBodyBytes) })),
    );
  }
  return fc.oneof(...options);
}

const withField = (base: unknown, field: string, value: unknown): unknown => {
  const out: Record<string, unknown> = typeof base === 'object' && base !== null && !Array.isArray(base) ? { ...(base as object) } : {};
  // defineProperty, so that "__proto__" becomes an own key of the JSON text as a client would send it.
  Object.defineProperty(out, field, { value, enumerable: true, configurable: true, writable: true });
  return out;
};

/** The bytes and content type of a spoiled body. */
export function renderSpoiledBody(spoiled: SpoiledBody, maxBodyBytes: number): { body: string | Buffer; contentType: string } {
  const json = (value: unknown) => ({ body: JSON.stringify(value) ?? 'null', contentType: 'application/json' });
  switch (spoiled.kind) {
    case 'not-an-object':
      return json(spoiled.value);
    case 'missing-field': {
      const copy = typeof spoiled.base === 'object' && spoiled.base !== null ? { ...(spoiled.base as Record<string, unknown>) } : {};
      delete copy[spoiled.field];
      return json(copy);
    }
    case 'extra-field':
    case 'field-of-wrong-type':
      return json(withField(spoiled.base, spoiled.field, spoiled.value));
    case 'overlong-string':
      return json(withField(spoiled.base, spoiled.field, spoiled.unit.repeat(spoiled.length)));
    case 'over-the-size-limit':
      return { body: `{"text":"${'a'.repeat(maxBodyBytes + spoiled.extraBytes)}"}`, contentType: 'application/json' };
    case 'deeply-nested': {
      const depth = spoiled.depth;
      if (spoiled.shape === 'array') return { body: '['.repeat(depth) + ']'.repeat(depth), contentType: 'application/json' };
      if (spoiled.shape === 'object') return { body: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), contentType: 'application/json' };
      return { body: `{${JSON.stringify(spoiled.field ?? 'x')}:${'['.repeat(depth)}${']'.repeat(depth)}}`, contentType: 'application/json' };
    }
    case 'large-array': {
      const array = `[${Array.from({ length: spoiled.items }, () => '0').join(',')}]`;
      if (!spoiled.field) return { body: array, contentType: 'application/json' };
      const base = JSON.stringify(withField(spoiled.base, spoiled.field, '__ARRAY__'));
      return { body: base.replace('"__ARRAY__"', array), contentType: 'application/json' };
    }
    case 'malformed-json':
      return { body: spoiled.text, contentType: 'application/json' };
    case 'wrong-content-type':
      return { body: typeof spoiled.base === 'string' ? spoiled.base : JSON.stringify(spoiled.base), contentType: spoiled.contentType };
    case 'invalid-utf8':
      return { body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0xc0, 0xaf, 0x7d]), contentType: 'application/json' };
  }
}

// ---------------------------------------------------------------------------------------------
// URLs and headers

/** A path segment that is not a valid value: malformed escapes, dot segments, very long, unicode. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%', '%%', '%zz', '%E0%A4%A', '%C0%AF', '%C0%AE%C0%AE', '%ED%A0%80', '%00', '%2e%2e', '%2F', '%5C..%5C', '..', '.', '', '%20', '%u0041', 'a%', '%%32%65'),
  fc.integer({ min: 256, max: 6_000 }).map((n) => 'a'.repeat(n)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(encodeLoose),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }).map((s) => s.replace(/[^A-Za-z0-9._~!$&'()*+,;=:@-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.uuid().map((id) => `${id}%00`),
  fc.uuid().map((id) => id.replace(/-/g, '')),
);

/**
 * encodeURIComponent that does not throw on lone surrogates: they go out as their WTF-8 bytes
 * (`%ED%A0%80` for U+D800), which is not valid UTF-8 — a hostile input of its own.
 */
export function encodeLoose(text: string): string {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]|[^]/g, (c) => {
    if (c.length === 2 || !/[\uD800-\uDFFF]/.test(c)) return encodeURIComponent(c);
    const code = c.charCodeAt(0);
    return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
  });
}

/** Characters node:http lets through in a request target unescaped (RFC 3986 pchar and friends). */
const safeForTarget = (text: string) => text.replace(/[^A-Za-z0-9._~!$&'()*+,;=:@/?%-]/g, (c) => encodeLoose(c));

export const queryKeyArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...dangerousKeys),
  fc.constantFrom('limit', 'cursor', 'sort', 'community', 'format', 'questionId', ''),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }),
);

/** Malformed escapes, sent as they are (anything else is made safe for a request target first). */
const malformedEscapes = ['%', '%zz', '%E0%A4%A', '%00', '%ED%A0%80'];

export const queryValueArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', '-1', '0', '1e3', '1e309', 'NaN', '0x10', '101', '1.5', ' 5', 'true', 'null', '[]', '{}', 'csv', 'json', 'most-signed', 'ternopil', 'a'.repeat(5000)),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.base64String({ maxLength: 200 }),
  fc.constantFrom(...malformedEscapes),
);

/** A raw query string (without `?`), sometimes with malformed escapes, repeats and empty pairs. */
export const queryStringArb: fc.Arbitrary<string> = fc
  .array(fc.tuple(queryKeyArb, queryValueArb, fc.boolean()), { maxLength: 6 })
  .map((pairs) => pairs.map(([key, value, encode]) => {
    const k = encode ? encodeLoose(key) : safeForTarget(key);
    // Only the malformed escapes go raw: a generated text that merely starts with % (e.g. "% ") may hold
    // a space, which no HTTP client sends in a request target.
    const v = malformedEscapes.includes(value) ? value : encode ? encodeLoose(value) : safeForTarget(value);
    return `${k}=${v}`;
  }).join('&'));

/** Authorization values that are never a valid token. */
export const garbageAuthorizationArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('Bearer', 'Bearer ', 'Bearer null', 'Bearer undefined', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c', 'Bearer ....', 'Bearer eyJhbGciOiJub25lIn0.e30.', 'Negotiate x', 'Bearer x y'),
  fc.string({ unit: 'grapheme-ascii', maxLength: 80 }).map((s) => `Bearer ${s}`),
  fc.base64String({ minLength: 4, maxLength: 400 }).map((s) => `Bearer ${s}.${s}.${s}`),
  fc.integer({ min: 1000, max: 8000 }).map((n) => `Bearer ${'A'.repeat(n)}`),
);

/** Header values node:http will send: no CR, LF or NUL (those cannot reach a server as such). */
export const headerValueArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
  fc.integer({ min: 1000, max: 8000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('', ' ', '\t', 'null', '*', 'W/"x"', '"', 'gzip, deflate, br', '../../etc/passwd', '127.0.0.1, 10.0.0.1'),
);

// ---------------------------------------------------------------------------------------------
// Text bodies (`text/plain` routes such as the .pb import)

const pbValue: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -5, max: 2_000_000 }).map(String),
  fc.constantFrom('', '""', '"a;b"', '"unterminated', '1e309', 'NaN', '-0', '0x10', '999999999999999999999999', '1,5', '1.5', ' 7 ',
    'approval', 'ordinal', 'cumulative', 'scoring', 'choose-1', 'greedy', 'greedy-no-skip', 'greedy-threshold', 'equalshares', 'equalshares/add1', 'equalshares/add1-comparison',
    '01.02.2023', '2023-02-01', 'PLN', 'UAH'),
  humanTextArb(0, 24).map((text) => text.replace(/[;\r\n]/g, ' ')),
);

const pbMetaKeys = ['description', 'country', 'unit', 'instance', 'num_projects', 'num_votes', 'budget', 'vote_type', 'rule', 'date_begin', 'date_end', 'min_length', 'max_length', 'max_sum_points', 'min_project_score_threshold', 'currency', 'comment'];

/** A small .pb file (Pabulib): META, PROJECTS, VOTES. Sound as a file, with values anywhere from sensible to absurd. */
function pbFile(sections: { meta: [string, string][]; projects: [string, string, string][]; votes: [string, string][] }, eol: string, bom: boolean): string {
  const lines = [
    'META', 'key;value', ...sections.meta.map(([k, v]) => `${k};${v}`),
    'PROJECTS', 'project_id;cost;votes;name', ...sections.projects.map(([id, cost, votes]) => `${id};${cost};${votes};Project ${id}`),
    'VOTES', 'voter_id;vote', ...sections.votes.map(([voter, vote]) => `${voter};${vote}`),
  ];
  return (bom ? '\uFEFF' : '') + lines.join(eol) + eol;
}

const saneProjects = fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 8 }).chain((ids) =>
  fc.tuple(...ids.map((id) => fc.tuple(fc.constant(String(id)), fc.integer({ min: 1, max: 50_000 }).map(String), fc.integer({ min: 0, max: 40 }).map(String)))));

const saneVotes = (projectIds: string[]) =>
  fc.array(fc.subarray(projectIds, { minLength: 1 }).map((chosen) => chosen.join(',')), { minLength: 1, maxLength: 30 })
    .map((votes) => votes.map((vote, i): [string, string] => [String(i + 1), vote]));

/** Plausible .pb files: the required META keys, consistent projects and votes. */
export const plausiblePbArb: fc.Arbitrary<string> = saneProjects.chain((projects) =>
  fc.record({
    projects: fc.constant(projects as [string, string, string][]),
    votes: saneVotes(projects.map(([id]) => id)),
    budget: fc.integer({ min: 1, max: 200_000 }),
    rule: fc.constantFrom('greedy', 'greedy-no-skip', 'equalshares', 'equalshares/add1'),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
  })).map(({ projects, votes, budget, rule, eol, bom }) => pbFile({
    meta: [['description', 'Fuzz'], ['country', 'Poland'], ['unit', 'Fuzzów'], ['instance', '2024'], ['num_projects', String(projects.length)], ['num_votes', String(votes.length)],
      ['budget', String(budget)], ['vote_type', 'approval'], ['rule', rule], ['date_begin', '01.01.2024'], ['date_end', '31.01.2024']],
    projects, votes,
  }, eol, bom));

/** A .pb file spoiled: random values in the sections, lines dropped or repeated, sections out of order. */
export const hostilePbArb: fc.Arbitrary<string> = fc.oneof(
  fc.record({
    meta: fc.array(fc.tuple(fc.constantFrom(...pbMetaKeys), pbValue), { maxLength: 16 }),
    projects: fc.array(fc.tuple(pbValue, pbValue, pbValue), { maxLength: 8 }),
    votes: fc.array(fc.tuple(pbValue, pbValue), { maxLength: 12 }),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    bom: fc.boolean(),
  }).map(({ eol, bom, ...sections }) => pbFile(sections, eol, bom)),
  fc.tuple(plausiblePbArb, fc.integer({ min: 0, max: 60 }), fc.constantFrom('drop', 'repeat', 'truncate', 'swap-sections', 'nul', 'semicolons')).map(([text, at, how]) => {
    const lines = text.split(/\r?\n/);
    const i = at % Math.max(1, lines.length);
    switch (how) {
      case 'drop': return lines.filter((_, j) => j !== i).join('\n');
      case 'repeat': return [...lines.slice(0, i + 1), ...lines.slice(i)].join('\n');
      case 'truncate': return text.slice(0, Math.floor((text.length * at) / 60));
      case 'swap-sections': return text.replace('PROJECTS', '__P__').replace('VOTES', 'PROJECTS').replace('__P__', 'VOTES');
      case 'nul': return text.replace(/;/, ';\u0000');
      default: return lines.map((line, j) => (j === i ? `${line};;;;` : line)).join('\n');
    }
  }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
);

/** Spoiled bodies for a `text/plain` route: wrong content types and bodies over the limit. */
export function spoiledTextBodyArb(valid: fc.Arbitrary<string>): fc.Arbitrary<SpoiledBody> {
  return fc.oneof(
    fc.record({ base: valid, contentType: fc.constantFrom('application/json', 'application/problem+json', ...wrongContentTypes.filter((type) => !type.startsWith('text/plain'))) })
      .map((d) => ({ kind: 'wrong-content-type' as const, ...d })),
    fc.integer({ min: 1, max: 2048 }).map((extraBytes) => ({ kind: 'over-the-size-limit' as const, extraBytes })),
  );
}

// ---------------------------------------------------------------------------------------------
// Forged cursors and deceptive titles (issue 14)

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8').toString('base64url');
const storeKeyNames = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 's', 'k', '__proto__'] as const;
/** Partitions and sort keys shaped like the store's, so a forged key looks like one the API issued. */
const plausibleKeyValue = fc.oneof(
  fc.constantFrom(
    'C#ternopil#PETITIONS#open', 'C#ternopil#PETITIONS#moderation', 'C#ternopil#ALERTS', 'C#ternopil#AWAITING', 'C#ternopil#BUDGETS',
    'C#ternopil#CONSULTATIONS', 'C#uk-style-demo#PETITIONS#open', 'PETITION#00000000-0000-4000-8000-000000000000', 'AUDIT#ternopil', '',
  ),
  fc.string({ maxLength: 60 }),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('pk', 'sk', 'x'), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
);
const forgedPayload = fc.oneof(
  fc.dictionary(fc.constantFrom(...storeKeyNames), plausibleKeyValue, { maxKeys: 6 }).map(b64json),
  fc.array(fc.oneof(fc.constant(0), fc.constant(1), fc.string({ maxLength: 40 })), { maxLength: 20 }).map(b64json),
  fc.record({ s: fc.integer({ min: -2, max: 20 }), k: fc.dictionary(fc.constantFrom('pk', 'sk'), plausibleKeyValue, { maxKeys: 2 }) }).map(b64json),
  anyJson.map(b64json),
);
/** What an attacker sends as a cursor: garbage, store keys as JSON (bare, or with a made-up `.keyId.mac` tag), wrong shapes. */
export const forgedCursorArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 200 }),
  fc.base64String({ minLength: 4, maxLength: 200 }),
  forgedPayload,
  fc.tuple(forgedPayload, fc.constantFrom('k1', 'k2', 'current', 'x'), fc.base64String({ minLength: 0, maxLength: 60 }).map((s) => s.replace(/[+/=]/g, 'A')))
    .map(([payload, keyId, mac]) => `${payload}.${keyId}.${mac}`),
);

const invisiblePiece = fc.constantFrom('\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u180E', '\u2062', ' ', '\u3000', '\u034F');
const bidiControl = fc.constantFrom('\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C');

/** Titles that must be refused: invisible only (zero-width/format/space characters, digits and dots), or readable with a bidi control inside. */
export const deceptiveTitleArb: fc.Arbitrary<string> = fc.oneof(
  fc.array(invisiblePiece, { minLength: 5, maxLength: 60 }).map((parts) => parts.join('')),
  fc.array(fc.oneof(invisiblePiece, fc.constantFrom('1', '.', '-', '…', '🙂')), { minLength: 10, maxLength: 60 }).map((parts) => parts.join('')),
  fc.tuple(fc.constantFrom('Більше лавок у парку Шевченка', 'Petition about the park', 'Освітлення вулиці Руської'), bidiControl, fc.nat())
    .map(([text, control, at]) => {
      const i = at % (text.length + 1);
      return `${text.slice(0, i)}${control}${text.slice(i)}`;
    }),
);
