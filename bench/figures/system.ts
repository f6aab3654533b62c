/**
 * Figures 1, 2, 3 and 6: the whole local system (local gateway, the real handlers in this process,
 * the stream consumers, DynamoDB Local) under closed-loop keep-alive load from this process.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, documentClient } from '#shared/data/client.ts';
import { putCommunity } from '#shared/data/communities.ts';
import { keys, signerShardOf } from '#shared/data/keys.ts';
import { ternopil } from '#shared/domain/community.ts';
import { defaultConsumers, startLocalSystem, type LocalSystem } from '../../local/runtime.ts';
import { stdoutCapture } from '../lib/env.ts';
import { CapacityRecorder, effectiveWriteUnits, topPartitions, type PhaseStats } from '../lib/capacity.ts';
import { closedLoop, KeepAliveClient, median, mergeRuns, summary, type LoadResult } from '../lib/load.ts';

export const CONCURRENCY = [1, 8, 32] as const;

export interface SystemOptions {
  /** Length of each timed run (figure 1), ms. */
  runMs: number;
  /** Rounds per concurrency; even rounds run the baseline first, odd rounds the signing first. */
  rounds: number;
  /** Signatures on one petition for figures 2 and 3. */
  hotKeySignatures: number;
  consultationResponses: number;
  budgetBallots: number;
  readMs: number;
  log: (line: string) => void;
}

interface CounterStats {
  invocations: number;
  withRecords: number;
  records: number;
  ms: number;
}

type Summary = ReturnType<typeof summary>;

export interface SigningLevel {
  clients: number;
  sign: Summary;
  baseline: Summary;
  throughputRatio: number;
  /** Best signing run over best baseline run: less sensitive to other work on the machine, which only slows runs down. */
  bestRunRatio: number;
  /**
   * CPU per baseline put over CPU per signature, this process and DynamoDB Local's JVM together:
   * what the throughput ratio tends to on a machine where these two have the cores to themselves.
   */
  cpuRatio: number | null;
}

export interface SystemFigures {
  signing: {
    levels: SigningLevel[];
    /** Diagnostic at the top concurrency: the baseline put with the same index entry a signature has. */
    baselineWithIndexEntry: Summary;
    /** Diagnostic at the top concurrency: the handler's DynamoDB work alone (GetItem of the petition, then the put with its index entry). */
    baselineHandlerWork: Summary;
    /** Signing with the stream consumers running on the same cores (not held), per concurrency. */
    wholeSystem: Summary[];
    /** Where a signature's time goes at 32 clients (client-side DynamoDB call latency, from the middleware). */
    breakdownAt32: { httpMeanMs: number; petitionReadMeanMs: number; putItemMeanMs: number; petitionReadsPerSignature: number };
    itemBytes: { signature: number; baseline: number };
  };
  capacity: {
    signatures: number;
    phase: PhaseSummary;
    /** Signatures each alone in their stream batch (one per petition, the counter drained in between): short petitions, then long ones. */
    alone: { signatures: number; textLength: number; phase: PhaseSummary }[];
    counted: { expected: number; stored: number; exact: boolean };
    counter: CounterStats & { invocationsPerSignature: number; meanMs: number; recordsPerInvocation: number };
    consultation: { responses: number; phase: PhaseSummary } | { error: string };
    budget: { ballots: number; phase: PhaseSummary } | { error: string };
    signLoad: Summary;
  };
  read: {
    detail: Summary;
    baselineRead: Summary;
    ratio: number;
    cacheControl: string | null;
    etag: string | null;
    conditionalStatus: number;
    bodyBytes: number;
  };
  authorizerVerifyMs: number;
  logBytesPerSign: number;
  logLinesPerSign: number;
}

export interface PhaseSummary {
  name: string;
  calls: Record<string, number>;
  errors: Record<string, number>;
  meanMsByOp: Record<string, number>;
  effectiveWriteUnits: number;
  reportedWriteUnits: number;
  reportedWriteUnitsByTarget: Record<string, number>;
  ruleWriteUnits: number;
  reportedTransactionWriteUnits: number;
  ruleTransactionWriteUnits: number;
  ruleFailedWriteUnits: number;
  writeUnitsByOp: Record<string, number>;
  readUnits: number;
  itemWrites: number;
  indexWrites: number;
  partitions: number;
  top: { key: string; writes: number }[];
}

function summarizePhase(s: PhaseStats): PhaseSummary {
  return {
    name: s.name,
    calls: s.calls,
    errors: s.errors,
    meanMsByOp: Object.fromEntries(Object.entries(s.ms).map(([op, ms]) => [op, ms / (s.calls[op] ?? 1)])),
    effectiveWriteUnits: effectiveWriteUnits(s),
    reportedWriteUnits: s.reportedWriteUnits,
    reportedWriteUnitsByTarget: s.reportedWriteUnitsByTarget,
    ruleWriteUnits: s.ruleWriteUnits,
    reportedTransactionWriteUnits: s.reportedTransactionWriteUnits,
    ruleTransactionWriteUnits: s.ruleTransactionWriteUnits,
    ruleFailedWriteUnits: s.ruleFailedWriteUnits,
    writeUnitsByOp: s.writeUnitsByOp,
    readUnits: s.readUnits,
    itemWrites: s.itemWrites,
    indexWrites: s.indexWrites,
    partitions: s.partitionWrites.size,
    top: topPartitions(s, 20),
  };
}

const S = (value: string) => ({ S: value });

/** Petitions signed once each for the "alone in its batch" figure, per petition length. */
const ALONE_SIGNATURES = 10;
const SHORT_TEXT = 'Просимо встановити двадцять нових лавок уздовж алей парку Шевченка.';
/** 3,000 characters of Ukrainian prose: the length of a real petition's text. */
const LONG_TEXT = ('Просимо міську раду відремонтувати тротуари та встановити освітлення вздовж вулиці, ' +
  'якою щодня ходять діти до школи, а також облаштувати пішохідні переходи біля зупинок. ').repeat(20).slice(0, 3_000);

export async function measureSystem(options: SystemOptions): Promise<SystemFigures> {
  const { log } = options;
  const counter: CounterStats = { invocations: 0, withRecords: 0, records: 0, ms: 0 };
  // The signature counter can be held (its poller then waits too) while the request path alone is
  // timed, and released to catch up between runs, as its own Lambda does in AWS.
  let held: Promise<void> | undefined;
  let release = () => {};
  const holdCounter = () => {
    held ??= new Promise<void>((resolve) => (release = resolve));
  };
  const releaseCounter = () => {
    release();
    held = undefined;
  };
  const consumers = defaultConsumers().map((consumer) =>
    consumer.name !== 'signatureCounter'
      ? consumer
      : {
          ...consumer,
          handler: async (event: DynamoDBStreamEvent) => {
            if (held) await held;
            const started = performance.now();
            try {
              return await consumer.handler(event);
            } finally {
              counter.invocations++;
              counter.ms += performance.now() - started;
              counter.records += event.Records?.length ?? 0;
              if (event.Records?.length) counter.withRecords++;
            }
          },
        },
  );
  const alertDir = mkdtempSync(join(tmpdir(), 'hromada-bench-alerts-'));
  const system: LocalSystem = await startLocalSystem({
    port: 0,
    inMemory: true,
    dataDir: '',
    tableName: 'hromada-bench',
    alertSinkFile: join(alertDir, 'alerts.jsonl'),
    consumers,
    log: (line) => log(`local: ${line}`),
  });
  const recorder = new CapacityRecorder(system.dynamoEndpoint);
  const raw = new DynamoDBClient({ endpoint: system.dynamoEndpoint, maxAttempts: 3, requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000 } });
  const http = new KeepAliveClient(system.url, Math.max(...CONCURRENCY));
  try {
    // The handlers' client (the one of this system's endpoint): the middleware sees every request they send.
    const db = documentClient();
    recorder.instrument(db);
    await putCommunity(db, ternopil);
    const drain = () => {
      releaseCounter();
      return system.waitForStreams(120_000);
    };

    // Signers: one token each (what the authorizer caches per person in AWS).
    const started = performance.now();
    const signers = Math.max(options.hotKeySignatures, options.consultationResponses, options.budgetBallots, 12_000);
    const subs = Array.from({ length: signers }, (_, i) => `bench-signer-${i}`);
    const tokens: string[] = [];
    for (let i = 0; i < subs.length; i += 500) {
      tokens.push(...await Promise.all(subs.slice(i, i + 500).map((sub, k) =>
        system.auth.mint({ sub, roles: ['citizen'], community: 'ternopil', birthdate: '1990-01-01', name: 'Олена Бенчмарк', nationalId: String(3_000_000_000 + i + k) }))));
    }
    log(`minted ${tokens.length} signer tokens in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const authorizerVerifyMs = await timeVerify(system, tokens.slice(0, 300));

    const createPetition = async (text = SHORT_TEXT) => {
      const author = await system.auth.mint({ sub: `bench-author-${randomUUID()}`, roles: ['citizen'], community: 'ternopil', birthdate: '1980-01-01' });
      const moderator = await system.auth.mint({ sub: `bench-moderator-${randomUUID()}`, roles: ['moderator'], community: 'ternopil' });
      const created = await http.send('POST', '/v1/petitions', { authorization: `Bearer ${author}`, 'content-type': 'application/json' },
        JSON.stringify({ title: 'Більше лавок у парку Шевченка', text }));
      if (created.status !== 201) throw new Error(`creating a petition failed: ${created.status} ${created.body}`);
      const id = (JSON.parse(created.body) as { id: string }).id;
      const published = await http.send('POST', `/v1/petitions/${id}/moderation`, { authorization: `Bearer ${moderator}`, 'content-type': 'application/json' },
        JSON.stringify({ decision: 'publish' }));
      if (published.status !== 200) throw new Error(`publishing a petition failed: ${published.status} ${published.body}`);
      return id;
    };

    const javaCpuMs = jvmCpuMeter(system.dynamoEndpoint);
    const signRun = (petitionId: string, clients: number, durationMs: number, maxRequests = tokens.length) =>
      closedLoop({
        clients, durationMs, maxRequests: Math.min(maxRequests, tokens.length), externalCpuMs: javaCpuMs,
        send: async (i) => {
          const answer = await http.send('POST', `/v1/petitions/${petitionId}/signatures`, { authorization: `Bearer ${tokens[i]}` });
          return answer.status === 201 ? undefined : `${answer.status} ${answer.body.slice(0, 200)}`;
        },
      });

    // The minimum a signature needs: one conditional PutItem of an item of the same size, same
    // attributes, from the same process, at the same concurrency. The index key attributes are
    // renamed (x1pk/x1sk) so that the bytes are the same but no index entry is written; the
    // diagnostic variant keeps them (the same index entry a signature writes).
    const baselineItem = (i: number, runId: string, withIndexEntry: boolean) => {
      const sub = subs[i % subs.length]!;
      const id = randomUUID();
      const signedAt = new Date().toISOString();
      const [indexPk, indexSk] = withIndexEntry ? ['gsi1pk', 'gsi1sk'] : ['x1pk', 'x1sk'];
      return {
        pk: S(`SIGNER#${sub}`), sk: S(`BSIG#${runId}`), type: S('signature'), id: S(id), petitionId: S(runId),
        community: S('ternopil'), signerSub: S(sub), signedAt: S(signedAt), publicName: S('Олена Бенчмарк'),
        [indexPk]: S(keys.signerShard(runId, signerShardOf(sub))), [indexSk]: S(`${signedAt}#${id}`),
      };
    };
    const baselineRun = (clients: number, durationMs: number, variant: 'put' | 'put+index' | 'get+put+index' = 'put', maxRequests = tokens.length) => {
      const runId = randomUUID();
      const petitionKey = { pk: S(`PETITION#${warm}`), sk: S('PETITION') };
      return closedLoop({
        clients, durationMs, maxRequests, externalCpuMs: javaCpuMs,
        send: async (i) => {
          if (variant === 'get+put+index') await raw.send(new GetItemCommand({ TableName: system.tableName, Key: petitionKey }));
          await raw.send(new PutItemCommand({
            TableName: system.tableName, Item: baselineItem(i, runId, variant !== 'put'), ConditionExpression: 'attribute_not_exists(pk)',
          }));
          return undefined;
        },
      });
    };

    // Warm-up: load the handler modules, JIT both paths, open the sockets.
    const warm = await createPetition();
    await signRun(warm, 8, 10_000, 400);
    await baselineRun(8, 10_000, 'put', 400);
    await baselineRun(8, 10_000, 'get+put+index', 200);
    await drain();

    // ---- Figure 1: the request path (counter held during the timed runs), then the whole system.
    const levels: SigningLevel[] = [];
    for (const clients of CONCURRENCY) {
      const signs: LoadResult[] = [];
      const bases: LoadResult[] = [];
      for (let round = 0; round < options.rounds; round++) {
        const order = round % 2 === 0 ? ['baseline', 'sign'] : ['sign', 'baseline'];
        for (const what of order) {
          const petition = what === 'sign' ? await createPetition() : '';
          holdCounter();
          if (what === 'sign') signs.push(await signRun(petition, clients, options.runMs));
          else bases.push(await baselineRun(clients, options.runMs));
          await drain();
        }
      }
      const sign = mergeRuns(signs);
      const baseline = mergeRuns(bases);
      const cpuOf = (r: LoadResult) => (r.externalCpuMsPerRequest === undefined ? undefined : r.cpuMsPerRequest + r.externalCpuMsPerRequest);
      const signCpu = cpuOf(sign);
      const baselineCpu = cpuOf(baseline);
      levels.push({
        clients, sign: summary(sign), baseline: summary(baseline), throughputRatio: sign.perSecond / baseline.perSecond,
        bestRunRatio: Math.max(...signs.map((r) => r.perSecond)) / Math.max(...bases.map((r) => r.perSecond)),
        cpuRatio: signCpu && baselineCpu ? baselineCpu / signCpu : null,
      });
      log(`sign x${clients}: ${sign.perSecond.toFixed(0)}/s p50 ${sign.p50Ms.toFixed(1)} ms p99 ${sign.p99Ms.toFixed(1)} ms` +
        ` | baseline put ${baseline.perSecond.toFixed(0)}/s p50 ${baseline.p50Ms.toFixed(1)} ms | ratio ${(sign.perSecond / baseline.perSecond).toFixed(2)}` +
        (sign.failed + baseline.failed ? ` | FAILED ${sign.failed}+${baseline.failed}: ${sign.firstFailure ?? baseline.firstFailure}` : ''));
    }
    const top = Math.max(...CONCURRENCY);
    holdCounter();
    const withIndex = summary(await baselineRun(top, 2 * options.runMs, 'put+index'));
    await drain();
    holdCounter();
    const handlerWork = summary(await baselineRun(top, 2 * options.runMs, 'get+put+index'));
    await drain();
    log(`baselines x${top}: put with its index entry ${withIndex.perSecond.toFixed(0)}/s; GetItem + put with index entry ${handlerWork.perSecond.toFixed(0)}/s`);
    const wholeSystem: Summary[] = [];
    for (const clients of CONCURRENCY) {
      const petition = await createPetition();
      const run = await signRun(petition, clients, 2 * options.runMs);
      await drain();
      wholeSystem.push(summary(run));
      log(`sign x${clients} with the stream consumers running on the same cores: ${run.perSecond.toFixed(0)}/s p50 ${run.p50Ms.toFixed(1)} ms`);
    }

    // ---- Figures 2 and 3: 10,000 signatures on one petition, every write recorded.
    const hot = await createPetition();
    await drain();
    Object.assign(counter, { invocations: 0, withRecords: 0, records: 0, ms: 0 });
    const phase = recorder.start('sign-hot-petition');
    const logBytesBefore = stdoutCapture.bytes;
    const logWritesBefore = stdoutCapture.writes;
    // Bounded in time too: on a starved machine the figure covers the signatures made in 150 s.
    const signLoad = await signRun(hot, top, 150_000, options.hotKeySignatures);
    const logBytesPerSign = (stdoutCapture.bytes - logBytesBefore) / Math.max(1, signLoad.ok);
    const logLinesPerSign = (stdoutCapture.writes - logWritesBefore) / Math.max(1, signLoad.ok);
    await drain();
    recorder.stop();
    const counterNow = { ...counter };
    const stored = JSON.parse((await http.send('GET', `/v1/petitions/${hot}`)).body) as { signatureCount: number };
    const phaseSummary = summarizePhase(phase);
    log(`hot petition: ${signLoad.ok} signatures at ${signLoad.perSecond.toFixed(0)}/s; stored count ${stored.signatureCount};` +
      ` ${(phaseSummary.effectiveWriteUnits / signLoad.ok).toFixed(3)} write units per signature; counter invoked ${counterNow.invocations} times`);
    const breakdownAt32 = {
      httpMeanMs: signLoad.meanMs,
      // The petition with its count item: the handler's Query on a cache miss, the counter's BatchGetItem (with its checkpoint) once per batch.
      petitionReadMeanMs: ((phaseSummary.meanMsByOp.Query ?? 0) * (phaseSummary.calls.Query ?? 0) + (phaseSummary.meanMsByOp.BatchGetItem ?? 0) * (phaseSummary.calls.BatchGetItem ?? 0)) /
        Math.max(1, (phaseSummary.calls.Query ?? 0) + (phaseSummary.calls.BatchGetItem ?? 0)),
      petitionReadsPerSignature: ((phaseSummary.calls.Query ?? 0) + (phaseSummary.calls.BatchGetItem ?? 0)) / Math.max(1, signLoad.ok),
      putItemMeanMs: phaseSummary.meanMsByOp.PutItem ?? Number.NaN,
    };

    // ---- Figure 2, alone: a petition signed a few times an hour. Each signature is a stream batch of
    // its own, so each pays the counter's whole count write: measured on petitions signed once each,
    // the counter (and every other consumer) drained after each signature. Short petitions like the
    // rest of the bench's, and petitions of 3,000 characters (a real one's length: ~6 KB in UTF-8),
    // since what a count write costs must not depend on the petition's size.
    const aloneRun = async (text: string | undefined) => {
      const petitions: string[] = [];
      for (let i = 0; i < ALONE_SIGNATURES; i++) petitions.push(await createPetition(text));
      await drain();
      const phase = recorder.start(`sign-alone-${text === undefined ? 'short' : 'long'}`);
      let signatures = 0;
      for (const petition of petitions) {
        const answer = await http.send('POST', `/v1/petitions/${petition}/signatures`, { authorization: `Bearer ${tokens[tokens.length - 1 - aloneTokens++]}` });
        if (answer.status === 201) signatures++;
        await drain();
      }
      recorder.stop();
      return { signatures, textLength: text?.length ?? SHORT_TEXT.length, phase: summarizePhase(phase) };
    };
    let aloneTokens = 0;
    const alone = [await aloneRun(undefined), await aloneRun(LONG_TEXT)];
    for (const a of alone) {
      log(`signatures alone in their batch, petitions of ${a.textLength} characters: ${a.signatures}, ${(a.phase.effectiveWriteUnits / Math.max(1, a.signatures)).toFixed(3)} write units each`);
    }

    // Consultation responses: the ballot-like write that exists today.
    let consultation: SystemFigures['capacity']['consultation'];
    try {
      consultation = await consultationRun(system, http, tokens, options.consultationResponses, recorder);
      log(`consultation: ${consultation.responses} responses, ${(consultation.phase.effectiveWriteUnits / consultation.responses).toFixed(3)} write units each`);
    } catch (error) {
      consultation = { error: (error as Error).message };
      log(`consultation run failed: ${(error as Error).message}`);
    }
    await drain();

    // Budget ballots (secret ballot: a voter marker and an anonymous ballot, in one transaction).
    let budget: SystemFigures['capacity']['budget'];
    try {
      budget = await budgetRun(system, http, tokens, options.budgetBallots, recorder);
      log(`budget: ${budget.ballots} ballots, ${(budget.phase.effectiveWriteUnits / budget.ballots).toFixed(3)} write units each`);
    } catch (error) {
      budget = { error: (error as Error).message };
      log(`budget ballot run not available: ${(error as Error).message}`);
    }
    await drain();

    // ---- Figure 6: the petition detail under 32 clients, and the same read alone (the petition and its count item, one Query).
    const first = await http.send('GET', `/v1/petitions/${hot}`);
    const etag = (first.headers.etag as string | undefined) ?? null;
    const conditional = await http.send('GET', `/v1/petitions/${hot}`, etag ? { 'if-none-match': etag } : {});
    const detail = await closedLoop({
      clients: top, durationMs: options.readMs, maxRequests: 1_000_000,
      send: async () => {
        const answer = await http.send('GET', `/v1/petitions/${hot}`);
        return answer.status === 200 ? undefined : `${answer.status}`;
      },
    });
    const baselineRead = await closedLoop({
      clients: top, durationMs: options.readMs, maxRequests: 1_000_000,
      send: async () => {
        await raw.send(new QueryCommand({
          TableName: system.tableName, KeyConditionExpression: 'pk = :pk AND sk BETWEEN :petition AND :count',
          ExpressionAttributeValues: { ':pk': S(`PETITION#${hot}`), ':petition': S('PETITION'), ':count': S('PETITION#COUNT') },
        }));
        return undefined;
      },
    });
    log(`read: detail ${detail.perSecond.toFixed(0)}/s p50 ${detail.p50Ms.toFixed(1)} ms | the same Query alone ${baselineRead.perSecond.toFixed(0)}/s`);

    const signatureKey = keys.signature(subs[0]!, hot);
    const signatureItem = await raw.send(new GetItemCommand({ TableName: system.tableName, Key: { pk: S(signatureKey.pk), sk: S(signatureKey.sk) } }));
    const { itemSize } = await import('../lib/item-size.ts');
    return {
      signing: {
        levels,
        baselineWithIndexEntry: withIndex,
        baselineHandlerWork: handlerWork,
        wholeSystem,
        breakdownAt32,
        itemBytes: {
          signature: signatureItem.Item ? itemSize(signatureItem.Item as never) : Number.NaN,
          baseline: itemSize(baselineItem(0, randomUUID(), false) as never),
        },
      },
      capacity: {
        signatures: signLoad.ok,
        phase: phaseSummary,
        alone,
        counted: { expected: signLoad.ok, stored: stored.signatureCount, exact: stored.signatureCount === signLoad.ok },
        counter: {
          ...counterNow,
          invocationsPerSignature: counterNow.invocations / Math.max(1, signLoad.ok),
          meanMs: counterNow.ms / Math.max(1, counterNow.invocations),
          recordsPerInvocation: counterNow.records / Math.max(1, counterNow.withRecords),
        },
        consultation,
        budget,
        signLoad: summary(signLoad),
      },
      read: {
        detail: summary(detail),
        baselineRead: summary(baselineRead),
        ratio: detail.perSecond / baselineRead.perSecond,
        cacheControl: (first.headers['cache-control'] as string | undefined) ?? null,
        etag,
        conditionalStatus: conditional.status,
        bodyBytes: Buffer.byteLength(first.body),
      },
      authorizerVerifyMs,
      logBytesPerSign,
      logLinesPerSign,
    };
  } finally {
    http.destroy();
    raw.destroy();
    recorder.destroy();
    await system.stop();
    rmSync(alertDir, { recursive: true, force: true });
  }
}

/** Median time of the local authorizer's token check (ES256 JWT, jose), one token at a time. */
async function timeVerify(system: LocalSystem, tokens: string[]): Promise<number> {
  const times: number[] = [];
  for (const token of tokens) {
    const t0 = performance.now();
    await system.auth.verify(`Bearer ${token}`);
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function consultationRun(system: LocalSystem, http: KeepAliveClient, tokens: string[], responses: number, recorder: CapacityRecorder) {
  const council = await system.auth.mint({ sub: `bench-council-${randomUUID()}`, roles: ['council'], community: 'ternopil' });
  const hour = 3_600_000;
  const created = await http.send('POST', '/v1/consultations', { authorization: `Bearer ${council}`, 'content-type': 'application/json' }, JSON.stringify({
    title: 'Реконструкція парку Шевченка',
    draftText: 'Проєкт рішення про реконструкцію парку імені Тараса Шевченка.',
    opensAt: new Date(Date.now() - hour).toISOString(),
    closesAt: new Date(Date.now() + 24 * hour).toISOString(),
    questions: [
      { id: 'support', type: 'single', text: 'Do you support the draft?', options: [{ id: 'yes', text: 'Так' }, { id: 'no', text: 'Ні' }] },
      {
        id: 'features', type: 'multiple', text: 'What should the park have?', maxChoices: 2,
        options: [{ id: 'benches', text: 'Лавки' }, { id: 'lights', text: 'Ліхтарі' }, { id: 'trees', text: 'Дерева' }],
      },
    ],
  }));
  if (created.status !== 201) throw new Error(`creating a consultation failed: ${created.status} ${created.body.slice(0, 300)}`);
  const id = (JSON.parse(created.body) as { id: string }).id;
  const body = JSON.stringify({ answers: [{ questionId: 'support', optionIds: ['yes'] }, { questionId: 'features', optionIds: ['benches', 'trees'] }] });
  const phase = recorder.start('consultation-responses');
  const load = await closedLoop({
    clients: 32, durationMs: 60_000, maxRequests: Math.min(responses, tokens.length),
    send: async (i) => {
      const answer = await http.send('PUT', `/v1/consultations/${id}/response`, { authorization: `Bearer ${tokens[i]}`, 'content-type': 'application/json' }, body);
      return answer.status === 201 ? undefined : `${answer.status} ${answer.body.slice(0, 200)}`;
    },
  });
  recorder.stop();
  if (load.failed) throw new Error(`${load.failed} responses failed: ${load.firstFailure}`);
  return { responses: load.ok, phase: summarizePhase(phase) };
}

/**
 * A participatory budget in its voting phase, driven through the API as the integration tests do
 * (test/integration/budgets.test.ts): created by the council, five projects submitted and admitted,
 * the phase moved by rewriting the schedule (the phase follows the dates), then one ballot per voter.
 */
async function budgetRun(system: LocalSystem, http: KeepAliveClient, tokens: string[], ballots: number, recorder: CapacityRecorder) {
  const DAY = 86_400_000;
  const phases = ['submission', 'preSupport', 'review', 'voting', 'results', 'implementation'];
  const scheduleAt = (phase: string) => {
    const k = phases.indexOf(phase);
    const now = Date.now();
    const schedule: Record<string, string | null> = {};
    phases.forEach((key, i) => {
      schedule[key] = new Date(i <= k ? now + (i - k) * DAY - 5 * 60_000 : now + (i - k) * DAY).toISOString();
    });
    schedule.preSupport = null;
    return schedule;
  };
  const admin = createDocumentClient(system.dynamoEndpoint); // not instrumented: setting up is not measured
  const setPhase = (id: string, phase: string) => admin.send(new UpdateCommand({
    // budgetKeys.budget(id) in shared/data/budgets.ts
    TableName: system.tableName, Key: { pk: `BUDGET#${id}`, sk: 'BUDGET' },
    UpdateExpression: 'SET schedule = :s', ExpressionAttributeValues: { ':s': scheduleAt(phase) },
  }));
  const expect = (what: string, answer: { status: number; body: string }, ...statuses: number[]) => {
    if (!statuses.includes(answer.status)) throw new Error(`${what}: ${answer.status} ${answer.body.slice(0, 300)}`);
    return answer.body ? (JSON.parse(answer.body) as Record<string, unknown>) : {};
  };
  try {
    const council = await system.auth.mint({ sub: `bench-council-${randomUUID()}`, roles: ['council'], community: 'ternopil' });
    const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    const created = expect('creating a budget', await http.send('POST', '/v1/budgets', json(council), JSON.stringify({
      kind: 'public', title: 'Бюджет мікрорайону Дружба', money: { total: 300_000 }, schedule: scheduleAt('submission'),
      preSupport: { required: 0 }, ballotRules: { type: 'approval', projects: { min: 1, max: 3 } }, rule: { name: 'greedy', rankBy: 'votes' },
    })), 201);
    const id = String(created.id);
    const author = await system.auth.mint({ sub: `bench-author-${randomUUID()}`, roles: ['citizen'], community: 'ternopil', birthdate: '1980-01-01' });
    const projectIds: string[] = [];
    for (const title of ['Лавки в парку', 'Ліхтарі на алеях', 'Дерева вздовж вулиці', 'Велопарковка', 'Дитячий майданчик']) {
      const project = expect('submitting a project', await http.send('POST', `/v1/budgets/${id}/projects`, json(author),
        JSON.stringify({ title, description: 'Опис проєкту для голосування в бюджеті.', cost: 100_000 })), 201);
      projectIds.push(String(project.id));
    }
    await setPhase(id, 'review');
    for (const projectId of projectIds) {
      expect('reviewing a project', await http.send('POST', `/v1/budgets/${id}/projects/${projectId}/review`, json(council),
        JSON.stringify({ feasible: true, reason: 'Feasible as submitted.', finalCost: 100_000 })), 200);
    }
    await setPhase(id, 'voting');
    const phase = recorder.start('budget-ballots');
    const load = await closedLoop({
      clients: 32, durationMs: 60_000, maxRequests: Math.min(ballots, tokens.length),
      send: async (i) => {
        const chosen = projectIds.filter((_, j) => (i >> j) % 2 === 1 || j === i % projectIds.length).slice(0, 3);
        const answer = await http.send('POST', `/v1/budgets/${id}/ballots`, { authorization: `Bearer ${tokens[i]}`, 'content-type': 'application/json' },
          JSON.stringify({ ballotId: randomUUID(), ballot: { projects: chosen } }));
        return answer.status === 201 ? undefined : `${answer.status} ${answer.body.slice(0, 200)}`;
      },
    });
    recorder.stop();
    if (load.failed) throw new Error(`${load.failed} ballots failed: ${load.firstFailure}`);
    return { ballots: load.ok, phase: summarizePhase(phase) };
  } finally {
    recorder.stop();
    admin.destroy();
  }
}

/**
 * Cumulative CPU time (ms) of the DynamoDB Local JVM listening on the endpoint's port, from
 * /proc/<pid>/stat (utime + stime, in clock ticks of 10 ms). Linux only; undefined elsewhere.
 */
function jvmCpuMeter(endpoint: string): () => number | undefined {
  const port = new URL(endpoint).port;
  let pid: string | undefined;
  try {
    pid = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).find((d) => {
      try {
        const args = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
        return args.some((a) => a.endsWith('DynamoDBLocal.jar')) && args[args.indexOf('-port') + 1] === port;
      } catch {
        return false;
      }
    });
  } catch {
    pid = undefined;
  }
  const TICK_MS = 10; // USER_HZ is 100 on Linux
  return () => {
    if (!pid) return undefined;
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime: fields 14 and 15 of stat
    } catch {
      return undefined;
    }
  };
}
