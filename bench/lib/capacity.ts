/**
 * Counts what the code really sends to DynamoDB, from inside the SDK: an AWS SDK middleware on the
 * module-scoped client the handlers use (shared/data/client.ts) adds `ReturnConsumedCapacity:
 * 'INDEXES'` to every request that takes it and sums what DynamoDB (Local) answers, and records
 * every partition key (base table and index) each written item lands on.
 *
 * DynamoDB Local reports consumed capacity for single-item writes and reads by the AWS rules
 * (1 unit per KB per item written, plus one write per index entry; checked in the report), but its
 * figures for TransactWriteItems do not follow them (one 100-byte Put reports 4 units, two such
 * Puts also 4). Transactions are therefore computed here by the AWS rule: 2 units per KB for each
 * item and for each index entry it writes. Failed writes get no ConsumedCapacity back from either;
 * they are charged by rule too (a failed conditional write still costs its write units).
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { table } from '#shared/data/table.ts';
import { itemSize, writeUnits, type WireItem } from './item-size.ts';

const WRITE_OPS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const READ_OPS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

interface Capacity {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

export interface PhaseStats {
  readonly name: string;
  /** Requests by operation (PutItem, TransactWriteItems, ...). */
  calls: Record<string, number>;
  /** Summed client-side latency by operation, ms. */
  ms: Record<string, number>;
  /** `Operation:ErrorName` counts. */
  errors: Record<string, number>;
  /** ConsumedCapacity DynamoDB Local returned for single-item writes (PutItem, UpdateItem, ...). */
  reportedWriteUnits: number;
  /** Of which: base table, and per index. */
  reportedWriteUnitsByTarget: Record<string, number>;
  /** What DynamoDB Local returned for TransactWriteItems (shown, not used: see the file comment). */
  reportedTransactionWriteUnits: number;
  /** Single-item writes by the AWS rule (to check DynamoDB Local's figures against). */
  ruleWriteUnits: number;
  /** TransactWriteItems by the AWS rule (2 units per KB per item and index entry). */
  ruleTransactionWriteUnits: number;
  /** Failed conditional writes and cancelled transactions, by rule (no figure comes back). */
  ruleFailedWriteUnits: number;
  /** Write units by operation, as counted in effectiveWriteUnits. */
  writeUnitsByOp: Record<string, number>;
  /** Reads: what DynamoDB Local reported. */
  readUnits: number;
  /** Items written (base table), and index entries written. */
  itemWrites: number;
  indexWrites: number;
  /** Writes per partition key, `table pk=...` or `gsi1 gsi1pk=...`. */
  partitionWrites: Map<string, number>;
}

const newStats = (name: string): PhaseStats => ({
  name, calls: {}, ms: {}, errors: {},
  reportedWriteUnits: 0, reportedWriteUnitsByTarget: {}, reportedTransactionWriteUnits: 0,
  ruleWriteUnits: 0, ruleTransactionWriteUnits: 0, ruleFailedWriteUnits: 0,
  writeUnitsByOp: {}, readUnits: 0, itemWrites: 0, indexWrites: 0, partitionWrites: new Map(),
});

/** Write units the phase cost, AWS rules: DynamoDB Local's figures where they hold, the rule elsewhere. */
export const effectiveWriteUnits = (s: PhaseStats) => s.reportedWriteUnits + s.ruleTransactionWriteUnits + s.ruleFailedWriteUnits;

const add = (record: Record<string, number>, key: string, n: number) => {
  record[key] = (record[key] ?? 0) + n;
};

type WireInput = Record<string, unknown>;
interface WriteAction {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  tableName: string;
  item?: WireItem;
  key?: WireItem;
  updateExpression?: string;
  names?: Record<string, string>;
}

/** Attribute names an update expression SETs or REMOVEs (aliases resolved). */
function touchedAttributes(expression: string | undefined, names: Record<string, string> = {}): Set<string> {
  const out = new Set<string>();
  if (!expression) return out;
  for (const match of expression.matchAll(/([#\w]+)\s*=/g)) out.add(names[match[1]!] ?? match[1]!);
  const remove = /\bREMOVE\s+([^]*?)(?:\b(?:SET|ADD|DELETE)\b|$)/i.exec(expression);
  for (const name of remove?.[1]?.split(',') ?? []) out.add(names[name.trim()] ?? name.trim());
  const addClause = /\bADD\s+([#\w]+)/i.exec(expression);
  if (addClause) out.add(names[addClause[1]!] ?? addClause[1]!);
  return out;
}

export class CapacityRecorder {
  private current: PhaseStats | undefined;
  private readonly reader: DynamoDBClient;
  readonly phases: PhaseStats[] = [];

  constructor(endpoint: string) {
    this.reader = new DynamoDBClient({ endpoint });
  }

  start(name: string): PhaseStats {
    this.current = newStats(name);
    this.phases.push(this.current);
    return this.current;
  }

  stop(): void {
    this.current = undefined;
  }

  destroy(): void {
    this.reader.destroy();
  }

  /** Adds the middleware to a client (for a DynamoDBDocumentClient: to the client it wraps). */
  instrument(client: { middlewareStack: unknown }): void {
    type Handler = (args: unknown) => Promise<unknown>;
    type Add = (mw: (next: Handler) => Handler, options: { step: 'build'; priority: 'high'; name: string; override: boolean }) => void;
    const stack = client.middlewareStack as { add: Add };
    stack.add((next) => async (args) => {
      const stats = this.current;
      const request = (args as { request?: { headers?: Record<string, string>; body?: unknown } }).request;
      const target = Object.entries(request?.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
      const op = target?.split('.')[1];
      if (!stats || !request || !op) return next(args);
      // The JSON body, a string or (newer SDKs) bytes. Not Buffer.from(body): that calls valueOf().
      const bytes = request.body instanceof Uint8Array ? request.body : undefined;
      const body = typeof request.body === 'string' ? request.body : bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : undefined;
      if (body === undefined) return next(args);
      const input = JSON.parse(body) as WireInput;
      if (WRITE_OPS.has(op) || READ_OPS.has(op)) {
        input.ReturnConsumedCapacity = 'INDEXES';
        const json = JSON.stringify(input);
        request.body = typeof request.body === 'string' ? json : new Uint8Array(Buffer.from(json, 'utf8'));
        for (const name of Object.keys(request.headers ?? {})) {
          if (name.toLowerCase() === 'content-length') request.headers![name] = String(Buffer.byteLength(json));
        }
      }
      const started = performance.now();
      add(stats.calls, op, 1);
      try {
        const result = await next(args);
        add(stats.ms, op, performance.now() - started);
        await this.recordSuccess(stats, op, input, (result as { output?: { ConsumedCapacity?: Capacity | Capacity[] } }).output?.ConsumedCapacity);
        return result;
      } catch (error) {
        add(stats.ms, op, performance.now() - started);
        add(stats.errors, `${op}:${(error as Error).name}`, 1);
        await this.recordFailure(stats, op, input);
        throw error;
      }
    }, { step: 'build', priority: 'high', name: 'benchConsumedCapacity', override: true });
  }

  private async recordSuccess(stats: PhaseStats, op: string, input: WireInput, consumed: Capacity | Capacity[] | undefined) {
    const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
    const units = list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    if (READ_OPS.has(op)) {
      stats.readUnits += units;
      return;
    }
    if (!WRITE_OPS.has(op)) return;
    if (op === 'TransactWriteItems') stats.reportedTransactionWriteUnits += units;
    else {
      stats.reportedWriteUnits += units;
      add(stats.writeUnitsByOp, op, units);
      for (const c of list) {
        add(stats.reportedWriteUnitsByTarget, 'table', c.Table?.CapacityUnits ?? 0);
        for (const [index, v] of Object.entries(c.GlobalSecondaryIndexes ?? {})) add(stats.reportedWriteUnitsByTarget, index, v.CapacityUnits ?? 0);
      }
    }
    const factor = op === 'TransactWriteItems' ? 2 : 1;
    for (const action of writeActions(op, input)) {
      const rule = await this.applyWrite(stats, action);
      if (op === 'TransactWriteItems') {
        stats.ruleTransactionWriteUnits += factor * rule;
        add(stats.writeUnitsByOp, op, factor * rule);
      } else stats.ruleWriteUnits += rule;
    }
  }

  /** No capacity comes back with an error: charge by rule what the request would have written. */
  private async recordFailure(stats: PhaseStats, op: string, input: WireInput) {
    if (!WRITE_OPS.has(op)) return;
    const factor = op === 'TransactWriteItems' ? 2 : 1;
    for (const action of writeActions(op, input)) {
      const size = action.item ? itemSize(action.item) : await this.currentSize(action);
      stats.ruleFailedWriteUnits += factor * writeUnits(size);
      add(stats.writeUnitsByOp, `${op} (failed)`, factor * writeUnits(size));
    }
  }

  private async currentItem(action: WriteAction): Promise<WireItem | undefined> {
    if (!action.key) return undefined;
    const { Item } = await this.reader.send(new GetItemCommand({ TableName: action.tableName, Key: action.key as never, ConsistentRead: true }));
    return Item as WireItem | undefined;
  }

  private async currentSize(action: WriteAction): Promise<number> {
    const item = await this.currentItem(action).catch(() => undefined);
    return item ? itemSize(item) : 0;
  }

  /**
   * Records the partition keys one successful item write lands on and returns its write units by
   * rule (before the transaction factor). An update's index entries are read from the item after
   * it: with ALL projection, any change of an item that is in an index rewrites its entry there,
   * and a change of the index key is a delete plus a put (two writes), as AWS counts them.
   */
  private async applyWrite(stats: PhaseStats, action: WriteAction): Promise<number> {
    if (action.kind === 'ConditionCheck') return 0;
    const after = action.kind === 'Put' ? action.item : action.kind === 'Update' ? await this.currentItem(action) : undefined;
    const keyItem = action.item ?? action.key ?? {};
    const pk = String(keyItem[table.partitionKey]?.S ?? '?');
    const count = (label: string, n: number) => stats.partitionWrites.set(label, (stats.partitionWrites.get(label) ?? 0) + n);
    count(`table ${table.partitionKey}=${pk}`, 1);
    stats.itemWrites += 1;
    const size = after ? itemSize(after) : 0;
    let units = writeUnits(size);
    if (!after) return units; // a delete: its index entries are not known here (none are deleted in these runs)
    const touched = action.kind === 'Update' ? touchedAttributes(action.updateExpression, action.names) : new Set<string>();
    for (const index of table.indexes) {
      const indexPk = after[index.partitionKey]?.S;
      if (indexPk === undefined || after[index.sortKey] === undefined) continue;
      const writes = touched.has(index.partitionKey) || touched.has(index.sortKey) ? 2 : 1;
      count(`${index.name} ${index.partitionKey}=${indexPk}`, writes);
      stats.indexWrites += writes;
      units += writes * writeUnits(size);
    }
    return units;
  }
}

function writeActions(op: string, input: WireInput): WriteAction[] {
  const tableName = String(input.TableName ?? '');
  const names = input.ExpressionAttributeNames as Record<string, string> | undefined;
  switch (op) {
    case 'PutItem': return [{ kind: 'Put', tableName, item: input.Item as WireItem }];
    case 'UpdateItem': return [{ kind: 'Update', tableName, key: input.Key as WireItem, updateExpression: input.UpdateExpression as string, ...(names ? { names } : {}) }];
    case 'DeleteItem': return [{ kind: 'Delete', tableName, key: input.Key as WireItem }];
    case 'BatchWriteItem':
      return Object.entries(input.RequestItems as Record<string, { PutRequest?: { Item: WireItem }; DeleteRequest?: { Key: WireItem } }[]>).flatMap(
        ([t, requests]) => requests.map((r): WriteAction => (r.PutRequest ? { kind: 'Put', tableName: t, item: r.PutRequest.Item } : { kind: 'Delete', tableName: t, key: r.DeleteRequest!.Key })),
      );
    case 'TransactWriteItems':
      return (input.TransactItems as Record<string, Record<string, unknown>>[]).map((entry): WriteAction => {
        const [kind, body] = Object.entries(entry)[0]! as [WriteAction['kind'], Record<string, unknown>];
        const actionNames = body.ExpressionAttributeNames as Record<string, string> | undefined;
        return {
          kind,
          tableName: String(body.TableName),
          ...(body.Item ? { item: body.Item as WireItem } : {}),
          ...(body.Key ? { key: body.Key as WireItem } : {}),
          ...(body.UpdateExpression ? { updateExpression: body.UpdateExpression as string } : {}),
          ...(actionNames ? { names: actionNames } : {}),
        };
      });
    default: return [];
  }
}

export function topPartitions(stats: PhaseStats, n: number): { key: string; writes: number }[] {
  return [...stats.partitionWrites].map(([key, writes]) => ({ key, writes })).sort((a, b) => b.writes - a.writes).slice(0, n);
}
