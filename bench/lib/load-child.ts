/**
 * A closed loop of GET requests run in its own process (see `closedLoopInChild`): reads its task
 * as JSON from argv, prints the result as JSON on stdout.
 */
import { closedLoop, KeepAliveClient } from './load.ts';

const task = JSON.parse(process.argv[2]!) as { url: string; clients: number; durationMs: number; maxRequests: number; paths: string[] };
const client = new KeepAliveClient(task.url, task.clients);
const result = await closedLoop({
  clients: task.clients,
  durationMs: task.durationMs,
  maxRequests: task.maxRequests,
  send: async (i) => {
    const answer = await client.send('GET', task.paths[i % task.paths.length]!);
    return answer.status === 200 ? undefined : `${answer.status} ${answer.body.slice(0, 200)}`;
  },
});
client.agent.destroy();
process.stdout.write(JSON.stringify(result));
