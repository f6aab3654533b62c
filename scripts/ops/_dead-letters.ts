import { CloudFormationClient, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { LocalDeadLetterQueues } from '../../local/dead-letters.ts';
import { loadFunction } from '../../local/functions.ts';
import { streamConsumers, type StreamConsumerName } from '#shared/streams/consumers.ts';

/**
 * Where replay-dlq reads dead letters and how it runs a consumer: locally, the runtime's queue
 * folders and the handlers in this process; in AWS, the SQS queues and the deployed functions of
 * the stage's alerts stack (found among the stack's resources, so no name is guessed).
 */
export interface DeadLetterSource {
  consumer: StreamConsumerName;
  where: string;
  receive(): Promise<{ id: string; body: unknown }[]>;
  delete(id: string): Promise<void>;
}

export interface ConsumerInvoker {
  /** Runs the consumer on an event; ok when it neither failed nor reported a failed record. */
  invoke(consumer: StreamConsumerName, event: DynamoDBStreamEvent): Promise<{ ok: boolean; detail: string }>;
}

const consumerNames = Object.keys(streamConsumers) as StreamConsumerName[];

function judge(response: unknown): { ok: boolean; detail: string } {
  const failures = (response as Partial<DynamoDBBatchResponse> | null | undefined)?.batchItemFailures ?? [];
  return failures.length === 0 ? { ok: true, detail: 'handled' } : { ok: false, detail: `${failures.length} record(s) failed again` };
}

export function localSources(dir: string, only?: StreamConsumerName): DeadLetterSource[] {
  const queues = new LocalDeadLetterQueues(dir);
  return consumerNames.filter((name) => !only || name === only).map((consumer) => ({
    consumer,
    where: `${dir}/${consumer}`,
    receive: async () => queues.receive(consumer),
    delete: async (id) => queues.delete(consumer, id),
  }));
}

export const localInvoker: ConsumerInvoker = {
  async invoke(consumer, event) {
    const handler = await loadFunction<(e: DynamoDBStreamEvent) => Promise<unknown>>(streamConsumers[consumer].handler);
    try {
      return judge(await handler(event));
    } catch (error) {
      return { ok: false, detail: `the handler threw ${(error as Error).name}: ${(error as Error).message}` };
    }
  },
};

export interface AwsConsumers {
  sources: DeadLetterSource[];
  invoker: ConsumerInvoker;
  close(): void;
}

/** The stage's dead-letter queues and consumer functions, from the resources of `hromada-<stage>-alerts`. */
export async function awsConsumers(
  stage: string,
  region: string | undefined,
  only?: StreamConsumerName,
  clients?: { cloudformation: CloudFormationClient; sqs: SQSClient; lambda: LambdaClient },
): Promise<AwsConsumers> {
  const config = region ? { region } : {};
  const cloudformation = clients?.cloudformation ?? new CloudFormationClient(config);
  const sqs = clients?.sqs ?? new SQSClient(config);
  const lambda = clients?.lambda ?? new LambdaClient(config);
  const stackName = `hromada-${stage}-alerts`;
  const queues = new Map<StreamConsumerName, string>();
  const functions = new Map<StreamConsumerName, string>();
  for await (const page of paginateListStackResources({ client: cloudformation }, { StackName: stackName })) {
    for (const resource of page.StackResourceSummaries ?? []) {
      // Logical ids start with the consumer's construct id (infra/stacks/alerts-stack.ts).
      const consumer = consumerNames.find((name) => resource.LogicalResourceId?.startsWith(name));
      if (!consumer || !resource.PhysicalResourceId) continue;
      if (resource.ResourceType === 'AWS::SQS::Queue') queues.set(consumer, resource.PhysicalResourceId);
      if (resource.ResourceType === 'AWS::Lambda::Function') functions.set(consumer, resource.PhysicalResourceId);
    }
  }
  cloudformation.destroy();
  const sources = consumerNames.filter((name) => !only || name === only).map((consumer): DeadLetterSource => {
    const url = queues.get(consumer);
    if (!url) throw new Error(`No dead-letter queue of ${consumer} in stack ${stackName}.`);
    return {
      consumer,
      where: url,
      async receive() {
        // Everything the queue holds now, hidden from other readers while this run handles it.
        const out: { id: string; body: unknown }[] = [];
        for (;;) {
          const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 900, WaitTimeSeconds: 1 }));
          if (!Messages?.length) return out;
          for (const m of Messages) {
            let body: unknown;
            try {
              body = JSON.parse(m.Body ?? '');
            } catch {
              body = undefined;
            }
            out.push({ id: m.ReceiptHandle!, body });
          }
        }
      },
      delete: async (id) => {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: id }));
      },
    };
  });
  return {
    sources,
    invoker: {
      async invoke(consumer, event) {
        const name = functions.get(consumer);
        if (!name) return { ok: false, detail: `no function of ${consumer} in stack ${stackName}` };
        const result = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: new TextEncoder().encode(JSON.stringify(event)) }));
        const payload = result.Payload ? JSON.parse(new TextDecoder().decode(result.Payload)) as unknown : undefined;
        if (result.FunctionError) return { ok: false, detail: `the function failed (${result.FunctionError}): ${JSON.stringify(payload).slice(0, 300)}` };
        return judge(payload);
      },
    },
    close: () => {
      sqs.destroy();
      lambda.destroy();
    },
  };
}
