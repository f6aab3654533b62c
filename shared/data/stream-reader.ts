import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type Shard,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';

/**
 * Reads the table's DynamoDB stream directly (operations tools only; the consumers get their
 * records from Lambda's event source mappings or the local poller). Used by the recount to see
 * which signature records are still to be counted, and by the dead-letter replay to re-read the
 * records a failed batch named.
 */
export class StreamRecordsGone extends Error {
  override name = 'StreamRecordsGone';
}

export async function tableStreamArn(dynamodb: DynamoDBClient, table: string): Promise<string> {
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
  if (!Table?.LatestStreamArn) throw new Error(`Table ${table} has no stream.`);
  return Table.LatestStreamArn;
}

const isGoneError = (error: unknown) =>
  ['TrimmedDataAccessException', 'ResourceNotFoundException', 'ExpiredIteratorException'].includes((error as Error).name);

export class StreamReader {
  /**
   * @param emptyPagesAtTip How many empty pages in a row mean "no more records for now" in an open
   *   shard. DynamoDB Local answers at once; in AWS an empty page may come before later records, so
   *   the AWS commands ask for more than one.
   */
  constructor(
    readonly streams: DynamoDBStreamsClient,
    readonly streamArn: string,
    private readonly emptyPagesAtTip = 1,
  ) {}

  async shards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({
        StreamArn: this.streamArn,
        ...(start ? { ExclusiveStartShardId: start } : {}),
      }));
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  /**
   * Every record of a shard after `afterSequenceNumber` (or from the oldest kept) up to its current
   * end. Returns the sequence number of the last record read (or the one given when none).
   */
  async readToTip(shardId: string, afterSequenceNumber: string | undefined, onRecord: (record: StreamRecord) => void): Promise<string | undefined> {
    let iterator = await this.iterator(shardId, afterSequenceNumber ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: afterSequenceNumber } : { type: 'TRIM_HORIZON' })
      .catch(async (error: unknown) => {
        // The position was trimmed away: what is left starts at the trim horizon.
        if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
        return this.iterator(shardId, { type: 'TRIM_HORIZON' });
      });
    let last = afterSequenceNumber;
    let empty = 0;
    while (iterator) {
      const { Records, NextShardIterator } = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      for (const record of Records ?? []) {
        onRecord(record);
        last = record.dynamodb?.SequenceNumber ?? last;
      }
      if ((Records ?? []).length === 0 && ++empty >= this.emptyPagesAtTip) break;
      if ((Records ?? []).length > 0) empty = 0;
      iterator = NextShardIterator;
    }
    return last;
  }

  /**
   * The records from `start` through `end` of a shard (inclusive), as a dead-letter message names
   * them. Throws StreamRecordsGone when the shard or the first record is no longer in the stream.
   */
  async readRange(shardId: string, start: string, end: string): Promise<StreamRecord[]> {
    let iterator: string | undefined;
    try {
      iterator = await this.iterator(shardId, { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: start });
    } catch (error) {
      if (isGoneError(error)) throw new StreamRecordsGone(`records ${start}..${end} of ${shardId} are no longer in the stream (${(error as Error).name})`);
      throw error;
    }
    const out: StreamRecord[] = [];
    let empty = 0;
    let first = true;
    const endSeq = BigInt(end);
    while (iterator) {
      const { Records, NextShardIterator } = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      for (const record of Records ?? []) {
        const seq = BigInt(record.dynamodb?.SequenceNumber ?? '0');
        if (first && seq !== BigInt(start)) {
          throw new StreamRecordsGone(`record ${start} of ${shardId} is no longer in the stream (the shard starts at ${seq})`);
        }
        first = false;
        if (seq > endSeq) return out;
        out.push(record);
        if (seq === endSeq) return out;
      }
      if ((Records ?? []).length === 0 && ++empty >= this.emptyPagesAtTip + 2) break;
      iterator = NextShardIterator;
    }
    if (out.length === 0) throw new StreamRecordsGone(`records ${start}..${end} of ${shardId} were not found in the stream`);
    return out;
  }

  /** Whether the shard holds a record with this sequence number (a checkpoint is one, unless corrupted). */
  async hasRecord(shardId: string, sequenceNumber: string): Promise<boolean> {
    let iterator: string | undefined;
    try {
      // The counter keeps sequence numbers as numbers, without the leading zeros of the stream's.
      iterator = await this.iterator(shardId, { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: sequenceNumber.padStart(21, '0') });
    } catch (error) {
      // DynamoDB Local answers InternalFailure for a number past the shard's end (after the SDK's
      // own retries of a 5xx, so not a passing fault); AWS a validation error.
      if (isGoneError(error) || ['ValidationException', 'InvalidArgumentException', 'InternalFailure'].includes((error as Error).name)) return false;
      throw error;
    }
    for (let page = 0; iterator && page < this.emptyPagesAtTip + 2; page++) {
      const { Records, NextShardIterator } = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1 }));
      const first = Records?.[0]?.dynamodb?.SequenceNumber;
      if (first !== undefined) return BigInt(first) === BigInt(sequenceNumber);
      iterator = NextShardIterator;
    }
    return false;
  }

  private async iterator(
    shardId: string,
    at: { type: 'TRIM_HORIZON' } | { type: 'AFTER_SEQUENCE_NUMBER' | 'AT_SEQUENCE_NUMBER'; sequenceNumber: string },
  ): Promise<string | undefined> {
    const { ShardIterator } = await this.streams.send(new GetShardIteratorCommand({
      StreamArn: this.streamArn,
      ShardId: shardId,
      ShardIteratorType: at.type,
      ...('sequenceNumber' in at ? { SequenceNumber: at.sequenceNumber } : {}),
    }));
    return ShardIterator;
  }
}
