import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamConsumers, type StreamConsumerName } from '#shared/streams/consumers.ts';
import { awsConsumers } from '../../scripts/ops/_dead-letters.ts';
import { ofType, synthTestApp, type TestApp } from '../infra/support.ts';

/**
 * replay-dlq in AWS finds each consumer's queue and function among the resources of the stage's
 * alerts stack. Proven here against the synthesized template, with AWS itself (CloudFormation,
 * SQS, Lambda) answered by a stand-in at the SDK's middleware, so the real clients build the calls.
 */
const consumerNames = Object.keys(streamConsumers) as StreamConsumerName[];
let t: TestApp;

beforeAll(async () => {
  t = await synthTestApp();
});
afterAll(() => t?.cleanup());

type Fake = (command: string, input: Record<string, unknown>) => unknown;
const calls: { command: string; input: Record<string, unknown> }[] = [];

function fakeAws<C extends { middlewareStack: { add: (...a: never[]) => void } }>(client: C, fake: Fake): C {
  (client.middlewareStack.add as (mw: unknown, options: unknown) => void)(
    () => async (args: { input: Record<string, unknown> }) => ({ output: { $metadata: {}, ...(fake(currentCommand(args), args.input) as object) }, response: {} }),
    { step: 'initialize', name: 'fakeAws' },
  );
  return client;
}
let currentCommand: (args: unknown) => string = () => '';

const options = { region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };

describe('replay-dlq against AWS: finding the queues and functions', () => {
  it('each consumer has exactly one queue and one function whose logical id starts with its name, and the mapping sends failures to that queue', () => {
    expect(t.stacks.alerts.stackName).toBe('hromada-test-alerts');
    const queues = ofType(t.templates.alerts, 'AWS::SQS::Queue');
    const functions = ofType(t.templates.alerts, 'AWS::Lambda::Function');
    const mappings = ofType(t.templates.alerts, 'AWS::Lambda::EventSourceMapping');
    for (const name of consumerNames) {
      const queue = queues.filter(([id]) => id.startsWith(name));
      const fn = functions.filter(([id]) => id.startsWith(name));
      expect(queue, name).toHaveLength(1);
      expect(fn, name).toHaveLength(1);
      const mapping = mappings.find(([, m]) => JSON.stringify(m.Properties?.FunctionName) === JSON.stringify({ Ref: fn[0]![0] }));
      expect(JSON.stringify(mapping?.[1].Properties?.DestinationConfig)).toContain(queue[0]![0]);
    }
  });

  it('reads every message of the queue, deletes by receipt handle, and judges the function\'s answer', async () => {
    const resources = [...ofType(t.templates.alerts, 'AWS::SQS::Queue'), ...ofType(t.templates.alerts, 'AWS::Lambda::Function')]
      .map(([id, r]) => ({ LogicalResourceId: id, ResourceType: r.Type, PhysicalResourceId: r.Type === 'AWS::SQS::Queue' ? `https://sqs.example/${id}` : `fn-${id}` }));
    const pages = [
      Array.from({ length: 10 }, (_, i) => ({ ReceiptHandle: `h${i}`, Body: JSON.stringify({ n: i }) })),
      [{ ReceiptHandle: 'h10', Body: 'not json' }],
      [],
    ];
    let answer: Record<string, unknown> = {};
    const fake: Fake = (command, input) => {
      calls.push({ command, input });
      if (command === 'ListStackResourcesCommand') return { StackResourceSummaries: resources };
      if (command === 'ReceiveMessageCommand') return { Messages: pages.shift() ?? [] };
      if (command === 'DeleteMessageCommand') return {};
      if (command === 'InvokeCommand') return answer;
      throw new Error(`unexpected ${command}`);
    };
    currentCommand = (args) => {
      const input = (args as { input: Record<string, unknown> }).input;
      if ('StackName' in input) return 'ListStackResourcesCommand';
      if ('ReceiptHandle' in input) return 'DeleteMessageCommand';
      if ('QueueUrl' in input) return 'ReceiveMessageCommand';
      return 'InvokeCommand';
    };
    const aws = await awsConsumers('test', 'eu-central-1', 'alertNotifier', {
      cloudformation: fakeAws(new CloudFormationClient(options), fake),
      sqs: fakeAws(new SQSClient(options), fake),
      lambda: fakeAws(new LambdaClient(options), fake),
    });
    expect(calls[0]).toMatchObject({ command: 'ListStackResourcesCommand', input: { StackName: 'hromada-test-alerts' } });
    expect(aws.sources).toHaveLength(1);
    const [source] = aws.sources;
    expect(source!.where).toMatch(/^https:\/\/sqs\.example\/alertNotifier/);

    const messages = await source!.receive();
    expect(messages.map((m) => m.id)).toEqual(Array.from({ length: 11 }, (_, i) => `h${i}`));
    expect(messages[10]!.body).toBeUndefined();
    expect(calls.filter((c) => c.command === 'ReceiveMessageCommand').every((c) => c.input.VisibilityTimeout === 900)).toBe(true);
    await source!.delete('h3');
    expect(calls.at(-1)).toMatchObject({ command: 'DeleteMessageCommand', input: { QueueUrl: source!.where, ReceiptHandle: 'h3' } });

    const event = { Records: [] };
    answer = { Payload: new TextEncoder().encode(JSON.stringify({ batchItemFailures: [] })) };
    expect(await aws.invoker.invoke('alertNotifier', event)).toEqual({ ok: true, detail: 'handled' });
    expect(String(calls.at(-1)!.input.FunctionName)).toMatch(/^fn-alertNotifier/);
    answer = { Payload: new TextEncoder().encode(JSON.stringify({ batchItemFailures: [{ itemIdentifier: '1' }] })) };
    expect((await aws.invoker.invoke('alertNotifier', event)).ok).toBe(false);
    answer = { FunctionError: 'Unhandled', Payload: new TextEncoder().encode(JSON.stringify({ errorMessage: 'boom' })) };
    expect(await aws.invoker.invoke('alertNotifier', event)).toMatchObject({ ok: false, detail: expect.stringContaining('boom') });
    aws.close();
  });
});
