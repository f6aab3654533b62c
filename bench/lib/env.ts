/**
 * Imported first by bench/run.ts, before any handler module is loaded.
 *
 * The handlers log one JSON line per request at INFO (the deployed default, infra/config.ts). In
 * Lambda those lines go to a pipe and on to CloudWatch Logs; here they would flood the terminal.
 * So this process's stdout is replaced by a counter: every line is still built and "written" (its
 * CPU cost stays in the figures) and its bytes are counted (for the CloudWatch Logs cost), but it
 * is dropped. The bench prints through `print`, which writes to the real stdout.
 */
process.env.AWS_REGION ??= 'eu-central-1';

const realWrite = process.stdout.write.bind(process.stdout);

export const stdoutCapture = { bytes: 0, writes: 0 };

process.stdout.write = ((chunk: string | Uint8Array) => {
  stdoutCapture.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  stdoutCapture.writes += 1;
  return true;
}) as typeof process.stdout.write;

export function print(line: string): void {
  realWrite(`${line}\n`);
}
