/**
 * DynamoDB item size by the AWS rules, from wire-format attribute values (`{ S: '..' }`), for
 * the capacity computed by rule where DynamoDB Local's own figures cannot be used.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
export type WireValue = Record<string, unknown>;
export type WireItem = Record<string, WireValue>;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Numbers: about one byte per two significant digits, plus one. */
function numberSize(n: string): number {
  const digits = n.replace(/^-/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

export function valueSize(value: WireValue): number {
  const [type, v] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S': return utf8(String(v));
    case 'N': return numberSize(String(v));
    case 'B': return typeof v === 'string' ? Buffer.from(v, 'base64').length : (v as Uint8Array).length;
    case 'BOOL':
    case 'NULL': return 1;
    case 'SS': return (v as string[]).reduce((sum, s) => sum + utf8(s), 0);
    case 'NS': return (v as string[]).reduce((sum, s) => sum + numberSize(s), 0);
    case 'BS': return (v as string[]).reduce((sum, s) => sum + Buffer.from(s, 'base64').length, 0);
    case 'L': return 3 + (v as WireValue[]).reduce((sum, e) => sum + 1 + valueSize(e), 0);
    case 'M': return 3 + Object.entries(v as WireItem).reduce((sum, [k, e]) => sum + 1 + utf8(k) + valueSize(e), 0);
    default: return 0;
  }
}

export function itemSize(item: WireItem): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

/** Write units of one item write: 1 per KB, rounded up (at least 1). */
export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
