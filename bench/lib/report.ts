/**
 * The report: one JSON document (bench/results/latest.json) and its markdown rendering
 * (bench/results/latest.md), with the goals of issue 7 and whether each was met.
 */
import { configSchema } from '../../infra/config.ts';
import { routes } from '#shared/http/routes.ts';
import type { ColdStartFigure } from '../figures/cold-start.ts';
import type { PhaseSummary, SystemFigures } from '../figures/system.ts';
import type { TallyFigure } from '../figures/tally.ts';
import type { WebFigure } from '../figures/web.ts';
import type { SearchFigure } from '../figures/search.ts';
import type { FanOutFigure } from '../figures/fanout.ts';
import { costPerMillionSignatures, LAMBDA_PLATFORM_LOG_BYTES, PRICES, REGION, type CostLine } from './prices.ts';

export const GOALS = {
  /** Figure 1: signing keeps at least this share of a plain conditional PutItem's throughput, at 32 clients. */
  signThroughputRatio: 0.7,
  /** Figure 2: write units per signature and per ballot (issue 7). */
  writeUnitsPerSignature: 3,
  /** Figure 2 (issue 15): per signature under load (the hot petition) and alone in its stream batch. */
  writeUnitsPerSignatureUnderLoad: 2.5,
  writeUnitsPerSignatureAlone: 12,
  /** Figure 3: largest share of a petition's writes on one partition key. */
  hotKeyMaxWritesFraction: 0.1,
  /** Figure 4 (issue 15): every HTTP bundle under 250 KB; imports under 150 ms worst, 100 ms median. */
  bundleBytes: 250 * 1024,
  importMs: 150,
  importMedianMs: 100,
  /**
   * The cold-start budget of what is ours: 150 ms worst minus the SDK clients' ~114 ms (external,
   * the runtime's copy) leaves 36 ms for everything the bundle adds beyond them.
   */
  ownImportMs: 36,
  /** Figure 7 (issue 16): search p99 at 32 clients, and write -> findable. */
  searchP99Ms: 100,
  searchFindableMs: 10_000,
} as const;

export interface ReportInput {
  date: string;
  durationSeconds: number;
  quick: boolean;
  machine: Record<string, unknown>;
  system: SystemFigures | { error: string } | undefined;
  bundles: ColdStartFigure | { error: string } | undefined;
  tally: TallyFigure | undefined;
  /** Figure 7 (issue 11): the web app's page weight and Sign-usable time. */
  web?: WebFigure | { error: string } | undefined;
  search?: SearchFigure | { error: string } | undefined;
  /** Figure 9 (issue 13): notification fan-out. */
  fanout?: FanOutFigure | { error: string } | undefined;
}

const round = (n: number, digits = 3) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : null);
const perUnit = (phase: PhaseSummary, n: number) => Object.fromEntries(Object.entries(phase.writeUnitsByOp).map(([op, u]) => [op, round(u / n, 4)]));

function budgetBallotStatus(error: string): { available: false; reason: string } {
  const ballotRoutes = Object.values(routes).filter((r) => /budget/i.test(r.path) && /ballot/i.test(r.path));
  return {
    available: false,
    reason: ballotRoutes.length === 0 ? 'no budget ballot route exists yet: not available' : `not available: the ballot run failed (${error})`,
  };
}

export function buildReport(input: ReportInput) {
  const sys = input.system && !('error' in input.system) ? input.system : undefined;
  const memoryMb = configSchema.shape.lambdaMemoryMb.parse(undefined);

  let sign = null;
  let ballots = null;
  let cost = null;
  let hotKey = null;
  let read = null;
  if (sys) {
    const top = sys.signing.levels.at(-1)!;
    const n = sys.capacity.signatures;
    const phase = sys.capacity.phase;
    const writeUnitsPerSignature = phase.effectiveWriteUnits / n;
    const readUnitsPerSignature = phase.readUnits / n;
    const signatureSingleWrites = (phase.calls.PutItem ?? 0) > 0;
    sign = {
      clients: top.clients,
      throughputRatio: round(top.throughputRatio),
      throughputRatioGoal: GOALS.signThroughputRatio,
      throughputRatioGoalMet: top.throughputRatio >= GOALS.signThroughputRatio,
      levels: sys.signing.levels.map((l) => ({
        clients: l.clients,
        signPerSecond: round(l.sign.perSecond, 1), signP50Ms: round(l.sign.p50Ms, 2), signP99Ms: round(l.sign.p99Ms, 2),
        baselinePerSecond: round(l.baseline.perSecond, 1), baselineP50Ms: round(l.baseline.p50Ms, 2), baselineP99Ms: round(l.baseline.p99Ms, 2),
        throughputRatio: round(l.throughputRatio),
        bestRunRatio: round(l.bestRunRatio),
        cpuRatio: l.cpuRatio === null ? null : round(l.cpuRatio),
        signJvmCpuMs: round(l.sign.externalCpuMsPerRequest ?? Number.NaN, 2), baselineJvmCpuMs: round(l.baseline.externalCpuMsPerRequest ?? Number.NaN, 2),
        signNodeCpuMs: round(l.sign.cpuMsPerRequest, 2), baselineNodeCpuMs: round(l.baseline.cpuMsPerRequest, 2),
        signRequests: l.sign.ok, signFailed: l.sign.failed, baselineRequests: l.baseline.ok, baselineFailed: l.baseline.failed,
        ...(l.sign.firstFailure ? { signFirstFailure: l.sign.firstFailure } : {}),
      })),
      baselineWithIndexEntryPerSecond: round(sys.signing.baselineWithIndexEntry.perSecond, 1),
      baselineHandlerWorkPerSecond: round(sys.signing.baselineHandlerWork.perSecond, 1),
      baselineWithIndexEntryNodeCpuMs: round(sys.signing.baselineWithIndexEntry.cpuMsPerRequest, 2),
      baselineWithIndexEntryJvmCpuMs: round(sys.signing.baselineWithIndexEntry.externalCpuMsPerRequest ?? Number.NaN, 2),
      baselineHandlerWorkNodeCpuMs: round(sys.signing.baselineHandlerWork.cpuMsPerRequest, 2),
      baselineHandlerWorkJvmCpuMs: round(sys.signing.baselineHandlerWork.externalCpuMsPerRequest ?? Number.NaN, 2),
      wholeSystem: sys.signing.wholeSystem.map((w, i) => ({
        clients: w.clients, signPerSecond: round(w.perSecond, 1), signP50Ms: round(w.p50Ms, 2), signP99Ms: round(w.p99Ms, 2),
        throughputRatio: round(w.perSecond / (sys.signing.levels[i]?.baseline.perSecond ?? Number.NaN)), failed: w.failed,
      })),
      breakdownAt32: {
        httpMeanMs: round(sys.signing.breakdownAt32.httpMeanMs, 2),
        petitionReadMeanMs: round(sys.signing.breakdownAt32.petitionReadMeanMs, 2),
        putItemMeanMs: round(sys.signing.breakdownAt32.putItemMeanMs, 2),
        petitionReadsPerSignature: round(sys.signing.breakdownAt32.petitionReadsPerSignature, 4),
      },
      itemBytes: sys.signing.itemBytes,
      writeUnitsPerSignature: round(writeUnitsPerSignature),
      minimumWriteUnitsPerSignature: Math.max(1, Math.ceil(sys.signing.itemBytes.signature / 1024)),
      writeUnitsGoal: GOALS.writeUnitsPerSignatureUnderLoad,
      writeUnitsGoalMet: writeUnitsPerSignature <= GOALS.writeUnitsPerSignatureUnderLoad,
      writeUnitsPerSignatureByOperation: perUnit(phase, n),
      alone: sys.capacity.alone.map(({ signatures, textLength, phase: p }) => {
        const perSignature = p.effectiveWriteUnits / Math.max(1, signatures);
        return {
          signatures,
          textLength,
          writeUnitsPerSignature: round(perSignature, 3),
          goal: GOALS.writeUnitsPerSignatureAlone,
          goalMet: signatures > 0 && perSignature <= GOALS.writeUnitsPerSignatureAlone,
          byOperation: perUnit(p, Math.max(1, signatures)),
        };
      }),
      /**
       * The counter's transaction is per batch, so its share depends on how many signatures a
       * batch carries: the signature's own writes plus one transaction divided by the batch size.
       */
      writeUnitsByBatchSize: (() => {
        const own = (phase.writeUnitsByOp.PutItem ?? 0) / n;
        const transactions = phase.calls.TransactWriteItems ?? 0;
        const perTransaction = transactions ? (phase.writeUnitsByOp.TransactWriteItems ?? 0) / transactions : 0;
        return {
          signatureItself: round(own, 3),
          perCounterTransaction: round(perTransaction, 2),
          measuredBatch: round(n / Math.max(1, transactions), 1),
          byBatch: [1, 5, 10, 50, 100, 500].map((b) => ({ batch: b, writeUnitsPerSignature: round(own + perTransaction / b, 3) })),
          breakEvenBatch: perTransaction > 0 && own < GOALS.writeUnitsPerSignatureUnderLoad ? Math.ceil(perTransaction / (GOALS.writeUnitsPerSignatureUnderLoad - own)) : null,
        };
      })(),
      readUnitsPerSignature: round(readUnitsPerSignature),
      capacitySource: {
        singleItemWrites: 'ConsumedCapacity returned by DynamoDB Local (ReturnConsumedCapacity INDEXES)',
        singleItemWritesReported: round(phase.reportedWriteUnits, 1),
        singleItemWritesByAwsRule: round(phase.ruleWriteUnits, 1),
        singleItemWritesReportedByTarget: phase.reportedWriteUnitsByTarget,
        transactions: 'computed by the AWS rule (2 units per KB per item and per index entry written); DynamoDB Local reports figures that do not follow it',
        transactionsByAwsRule: round(phase.ruleTransactionWriteUnits, 1),
        transactionsReportedByDynamoDbLocal: round(phase.reportedTransactionWriteUnits, 1),
        failedWritesByAwsRule: round(phase.ruleFailedWriteUnits, 1),
        reads: 'ConsumedCapacity returned by DynamoDB Local',
      },
      hasSingleItemSignatureWrites: signatureSingleWrites,
      countedExactly: sys.capacity.counted,
      load: sys.capacity.signLoad,
      operations: { calls: phase.calls, errors: phase.errors, meanMsByOp: phase.meanMsByOp },
    };
    const consultation = sys.capacity.consultation;
    ballots = {
      consultationResponse: 'error' in consultation
        ? { available: false, reason: consultation.error }
        : {
            available: true,
            responses: consultation.responses,
            writeUnitsPerResponse: round(consultation.phase.effectiveWriteUnits / consultation.responses),
            byOperation: perUnit(consultation.phase, consultation.responses),
            readUnitsPerResponse: round(consultation.phase.readUnits / consultation.responses),
            goalMet: consultation.phase.effectiveWriteUnits / consultation.responses <= GOALS.writeUnitsPerSignature,
            largestPartitionShare: round((consultation.phase.top[0]?.writes ?? 0) / consultation.responses),
            largestPartition: consultation.phase.top[0]?.key ?? null,
          },
      budgetBallot: 'error' in sys.capacity.budget
        ? budgetBallotStatus(sys.capacity.budget.error)
        : {
            available: true,
            ballots: sys.capacity.budget.ballots,
            writeUnitsPerBallot: round(sys.capacity.budget.phase.effectiveWriteUnits / sys.capacity.budget.ballots),
            byOperation: perUnit(sys.capacity.budget.phase, sys.capacity.budget.ballots),
            readUnitsPerBallot: round(sys.capacity.budget.phase.readUnits / sys.capacity.budget.ballots),
            goalMet: sys.capacity.budget.phase.effectiveWriteUnits / sys.capacity.budget.ballots <= GOALS.writeUnitsPerSignature,
            largestPartitionShare: round((sys.capacity.budget.phase.top[0]?.writes ?? 0) / sys.capacity.budget.ballots),
            largestPartition: sys.capacity.budget.phase.top[0]?.key ?? null,
            top: sys.capacity.budget.phase.top.slice(0, 5),
          },
    };
    const c1 = sys.signing.levels.find((l) => l.clients === 1) ?? top;
    const inputs = {
      memoryMb,
      signMs: c1.sign.p50Ms,
      authorizerInvocationsPerSignature: 1,
      authorizerMs: sys.authorizerVerifyMs,
      writeUnitsPerSignature,
      readUnitsPerSignature,
      counterInvocationsPerSignature: sys.capacity.counter.invocationsPerSignature,
      counterMs: sys.capacity.counter.meanMs,
      logBytesPerSignature: sys.logBytesPerSign,
    };
    const lines: CostLine[] = costPerMillionSignatures(inputs);
    cost = {
      region: REGION,
      currency: 'USD',
      prices: PRICES,
      lambdaPlatformLogBytesAssumed: LAMBDA_PLATFORM_LOG_BYTES,
      appLogLinesPerSignature: round(sys.logLinesPerSign, 2),
      inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, round(v, 4)])),
      lines: lines.map((l) => ({ ...l, usdPerMillion: round(l.usdPerMillion, 4) })),
      usdPerMillionSignatures: round(lines.reduce((s, l) => s + l.usdPerMillion, 0), 2),
    };
    const topKey = phase.top[0];
    hotKey = {
      signatures: n,
      maxWritesFraction: round((topKey?.writes ?? 0) / n, 4),
      goal: GOALS.hotKeyMaxWritesFraction,
      goalMet: (topKey?.writes ?? 0) / n <= GOALS.hotKeyMaxWritesFraction,
      maxKey: topKey?.key ?? null,
      partitionsWritten: phase.partitions,
      itemWrites: phase.itemWrites,
      indexWrites: phase.indexWrites,
      top: phase.top.map((t) => ({ ...t, fraction: round(t.writes / n, 4) })),
      counter: {
        invocations: sys.capacity.counter.invocations,
        invocationsWithRecords: sys.capacity.counter.withRecords,
        recordsPerInvocation: round(sys.capacity.counter.recordsPerInvocation, 1),
        meanMs: round(sys.capacity.counter.meanMs, 1),
        transactions: phase.calls.TransactWriteItems ?? 0,
      },
    };
    const maxAge = Number(/max-age=(\d+)/.exec(sys.read.cacheControl ?? '')?.[1] ?? Number.NaN);
    const swr = Number(/stale-while-revalidate=(\d+)/.exec(sys.read.cacheControl ?? '')?.[1] ?? 0);
    read = {
      requestsPerSecond: round(sys.read.detail.perSecond, 1),
      clients: sys.read.detail.clients,
      p50Ms: round(sys.read.detail.p50Ms, 2),
      p99Ms: round(sys.read.detail.p99Ms, 2),
      failed: sys.read.detail.failed,
      baselineReadPerSecond: round(sys.read.baselineRead.perSecond, 1),
      ratioToRead: round(sys.read.ratio),
      bodyBytes: sys.read.bodyBytes,
      cacheControl: sys.read.cacheControl,
      etag: sys.read.etag,
      ifNoneMatchStatus: sys.read.conditionalStatus,
      cdn: Number.isFinite(maxAge) && maxAge > 0
        ? {
            maxAgeSeconds: maxAge,
            staleWhileRevalidateSeconds: swr,
            originRequestsPerEdgePerSecond: round(1 / maxAge, 3),
            note: `a CDN that honours max-age=${maxAge} sends the origin at most one request per ${maxAge} s per edge cache for a petition, however many people read it; ` +
              `with stale-while-revalidate=${swr} readers never wait for that refresh`,
          }
        : null,
    };
  }

  const cold = input.bundles && !('error' in input.bundles) ? input.bundles : undefined;
  const bundles = cold?.bundles.map((b) => ({
    name: b.name, kind: b.kind, bytes: b.bytes, importMs: round(b.importMs ?? Number.NaN, 1),
    cpuMs: round(b.cpuMs ?? Number.NaN, 1), ownMs: round(b.ownMs ?? Number.NaN, 1), ...(b.error ? { error: b.error } : {}),
  })) ?? [];
  const http = bundles.filter((b) => b.kind === 'http');
  const medianOf = (values: (number | null)[]) => {
    const sorted = values.filter((v): v is number => v !== null).sort((x, y) => x - y);
    return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : null;
  };
  const maxOf = (values: (number | null)[]) => values.reduce<number | null>((m, v) => (v === null ? m : m === null ? v : Math.max(m, v)), null);
  const biggest = [...bundles].sort((a, b) => b.bytes - a.bytes)[0];
  const slowest = [...bundles].sort((a, b) => (b.importMs ?? Infinity) - (a.importMs ?? Infinity))[0];
  const bundlesSummary = cold
    ? {
        count: bundles.length,
        buildMs: round(cold.buildMs, 0),
        maxBytes: biggest?.bytes ?? null, maxBytesName: biggest?.name ?? null,
        maxImportMs: slowest?.importMs ?? null, maxImportName: slowest?.name ?? null,
        overSizeGoal: http.filter((b) => b.bytes >= GOALS.bundleBytes).map((b) => b.name),
        importOver150ms: bundles.filter((b) => b.importMs === null || b.importMs >= GOALS.importMs).map((b) => b.name),
        medianImportMsByKind: Object.fromEntries([...new Set(bundles.map((b) => b.kind))].map((kind) => {
          const times = bundles.filter((b) => b.kind === kind && b.importMs !== null).map((b) => b.importMs!).sort((x, y) => x - y);
          return [kind, times.length ? times[Math.floor((times.length - 1) / 2)]! : null];
        })),
        sdkOnlyImportMs: round(cold.sdkOnly.importMs ?? Number.NaN, 1),
        composition: cold.composition,
        sizeGoalMet: http.every((b) => b.bytes < GOALS.bundleBytes),
        importGoalMet: bundles.every((b) => b.importMs !== null && b.importMs < GOALS.importMs),
        http: {
          count: http.length,
          maxBytes: maxOf(http.map((b) => b.bytes)),
          medianImportMs: medianOf(http.map((b) => b.importMs)),
          maxImportMs: maxOf(http.map((b) => b.importMs)),
          medianCpuMs: medianOf(http.map((b) => b.cpuMs)),
          medianOwnMs: medianOf(http.map((b) => b.ownMs)),
          maxOwnMs: maxOf(http.map((b) => b.ownMs)),
          medianGoalMet: (medianOf(http.map((b) => b.importMs)) ?? Infinity) < GOALS.importMedianMs,
          ownGoalMet: (maxOf(http.map((b) => b.ownMs)) ?? Infinity) < GOALS.ownImportMs,
        },
        parts: cold.parts.map((p) => ({ what: p.what, importMs: round(p.importMs ?? Number.NaN, 1), cpuMs: round(p.cpuMs ?? Number.NaN, 1) })),
      }
    : null;

  const tally = input.tally?.rows.map((r) => ({
    election: r.election, rule: r.rule, voters: r.voters, projects: r.projects ?? null,
    ms: r.ms === null ? null : round(r.ms, 2), peakMB: r.peakMB === null ? null : round(r.peakMB, 1),
    tallyRssMB: r.tallyRssMB === undefined ? null : round(r.tallyRssMB, 1),
    rssBeforeMB: r.rssBeforeMB === undefined ? null : round(r.rssBeforeMB, 1),
    runs: r.runs ?? null, firstMs: r.firstMs === undefined ? null : round(r.firstMs, 2),
    winners: r.winners ?? null, add1Steps: r.add1Steps ?? null,
    ...(r.reproducesSelected !== undefined ? { reproducesSelected: r.reproducesSelected } : {}),
    ...(r.note ? { note: r.note } : {}),
    ...(r.error ? { error: r.error } : {}),
  })) ?? [];

  return {
    date: input.date,
    durationSeconds: input.durationSeconds,
    quick: input.quick,
    machine: input.machine,
    goals: GOALS,
    sign,
    ballots,
    cost,
    hotKey,
    bundles,
    bundlesSummary,
    tally,
    web: input.web ?? null,
    tallyStatus: input.tally
      ? { available: input.tally.available, ...(input.tally.reason ? { reason: input.tally.reason } : {}), pabulibDir: input.tally.pabulibDir }
      : null,
    read,
    search: input.search && !('error' in input.search)
      ? {
          ...input.search,
          p99GoalMet: input.search.load.p99Ms < GOALS.searchP99Ms,
          findableGoalMet: input.search.writeToFindableMs.max < GOALS.searchFindableMs,
        }
      : null,
    fanout: input.fanout && !('error' in input.fanout) ? { ...input.fanout, writeUnitsGoalMet: input.fanout.writeUnitsPerRecipient <= 2 } : null,
    errors: {
      ...(input.fanout && 'error' in input.fanout ? { fanout: input.fanout.error } : {}),
      ...(input.search && 'error' in input.search ? { search: input.search.error } : {}),
      ...(input.system && 'error' in input.system ? { system: input.system.error } : {}),
      ...(input.bundles && 'error' in input.bundles ? { bundles: input.bundles.error } : {}),
      ...(input.web && 'error' in input.web ? { web: input.web.error } : {}),
    },
  };
}

export type Report = ReturnType<typeof buildReport>;

const yes = (b: boolean | undefined | null) => (b === undefined || b === null ? '—' : b ? 'yes' : '**no**');
const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || !Number.isFinite(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/** The short table for the main README. */
export function summaryTable(r: Report): string {
  const rows: string[] = ['| figure | measured | goal | met |', '|---|---|---|---|'];
  if (r.sign) {
    const top = r.sign.levels.at(-1)!;
    rows.push(`| 1. Signing throughput at ${top.clients} clients, as a share of a plain conditional PutItem (best runs; CPU cost) | ${fmt(r.sign.throughputRatio, 2)} (${fmt(top.signPerSecond, 0)}/s vs ${fmt(top.baselinePerSecond, 0)}/s; p50 ${fmt(top.signP50Ms)} ms, p99 ${fmt(top.signP99Ms)} ms) (${fmt(top.bestRunRatio, 2)}; ${fmt(top.cpuRatio, 2)}) | ≥ ${GOALS.signThroughputRatio} | ${yes(r.sign.throughputRatioGoalMet)} |`);
    rows.push(`| 2. Write units per signature under load (minimum: ${r.sign.minimumWriteUnitsPerSignature}) | ${fmt(r.sign.writeUnitsPerSignature, 2)} | ≤ ${GOALS.writeUnitsPerSignatureUnderLoad} | ${yes(r.sign.writeUnitsGoalMet)} |`);
    rows.push(`| 2. Write units per signature alone in its stream batch (petitions of ${r.sign.alone.map((a) => a.textLength.toLocaleString('en-US')).join(' / ')} characters, signed once) | ${r.sign.alone.map((a) => fmt(a.writeUnitsPerSignature, 2)).join(' / ')} | ≤ ${GOALS.writeUnitsPerSignatureAlone} | ${yes(r.sign.alone.length > 0 && r.sign.alone.every((a) => a.goalMet))} |`);
  }
  if (r.ballots) {
    const c = r.ballots.consultationResponse;
    rows.push(`| 2. Write units per consultation response | ${'writeUnitsPerResponse' in c ? fmt(c.writeUnitsPerResponse, 2) : 'not available'} | ≤ ${GOALS.writeUnitsPerSignature} | ${'goalMet' in c ? yes(c.goalMet) : '—'} |`);
    const b = r.ballots.budgetBallot;
    rows.push(`| 2. Write units per budget ballot | ${'writeUnitsPerBallot' in b ? fmt(b.writeUnitsPerBallot, 2) : 'not available'} | ≤ ${GOALS.writeUnitsPerSignature} | ${'goalMet' in b ? yes(b.goalMet) : '—'} |`);
  }
  if (r.cost) rows.push(`| 2. Cost per million signatures, ${r.cost.region} on-demand | $${fmt(r.cost.usdPerMillionSignatures, 2)} | — | — |`);
  if (r.hotKey) rows.push(`| 3. Largest share of writes on one partition key (${r.hotKey.signatures.toLocaleString('en-US')} signatures, one petition) | ${fmt((r.hotKey.maxWritesFraction ?? 0) * 100)} % (\`${r.hotKey.maxKey}\`) | ≤ ${GOALS.hotKeyMaxWritesFraction * 100} % | ${yes(r.hotKey.goalMet)} |`);
  if (r.bundlesSummary) {
    const h = r.bundlesSummary.http;
    rows.push(`| 4. Largest HTTP bundle (${h.count} HTTP of ${r.bundlesSummary.count} bundles) | ${kb(h.maxBytes ?? 0)} | < ${kb(GOALS.bundleBytes)} | ${yes(r.bundlesSummary.sizeGoalMet)} |`);
    rows.push(`| 4. Bundle import, fresh process (median of ${r.quick ? 3 : 5} each): slowest of all; the SDK alone | ${fmt(r.bundlesSummary.maxImportMs, 0)} ms (${r.bundlesSummary.maxImportName}); ${fmt(r.bundlesSummary.sdkOnlyImportMs, 0)} ms | < ${GOALS.importMs} ms | ${yes(r.bundlesSummary.importGoalMet)} |`);
    rows.push(`| 4. HTTP bundle import: median | ${fmt(h.medianImportMs, 0)} ms | < ${GOALS.importMedianMs} ms | ${yes(h.medianGoalMet)} |`);
    rows.push(`| 4. HTTP bundle import beyond the SDK (what is ours): median; slowest | ${fmt(h.medianOwnMs, 0)} ms; ${fmt(h.maxOwnMs, 0)} ms | < ${GOALS.ownImportMs} ms | ${yes(h.ownGoalMet)} |`);
  }
  for (const t of r.tally.filter((t) => t.election.startsWith('generated'))) {
    rows.push(`| 5. Tally ${t.rule === 'greedy' ? 'greedy' : 'MES + Add1'}, ${t.voters.toLocaleString('en-US')} voters × ${t.projects} projects | ${fmt(t.ms, 0)} ms, peak RSS ${fmt(t.peakMB, 0)} MB | — | — |`);
  }
  if (r.web && 'petitionPage' in r.web) {
    const w = r.web;
    rows.push(`| 7. Web app: a petition page's JS+CSS, first visit, compressed | ${w.petitionPage.brotliKB} KB brotli (${w.petitionPage.gzipKB} KB gzip) | ≤ ${w.petitionPage.goalKB} KB | ${yes(w.petitionPage.goalMet)} |`);
    rows.push('error' in w.signUsable
      ? `| 7. Web app: Sign usable after navigation (4× CPU, slow 4G) | not measured: ${w.signUsable.error} | ≤ 2500 ms | — |`
      : `| 7. Web app: Sign usable after navigation, signed in, first visit (4× CPU, slow 4G; median of ${w.signUsable.samplesMs.length}) | ${w.signUsable.medianMs} ms (${w.signUsable.samplesMs.join(', ')}) | ≤ ${w.signUsable.goalMs} ms | ${yes(w.signUsable.goalMet)} |`);
  }
  if (r.read) rows.push(`| 6. Petition detail reads at ${r.read.clients} clients (origin, no CDN) | ${fmt(r.read.requestsPerSecond, 0)}/s, p50 ${fmt(r.read.p50Ms)} ms; \`${r.read.cacheControl}\` + ETag | — | — |`);
  if (r.search) {
    const l = r.search.load;
    rows.push(`| 8. Search, ${r.search.items.toLocaleString('en-US')} items, ${r.search.clients} clients: p50, p99 (${fmt(l.perSecond, 0)}/s) | ${fmt(l.p50Ms)} ms, ${fmt(l.p99Ms)} ms | p99 < ${GOALS.searchP99Ms} ms | ${yes(r.search.p99GoalMet)} |`);
    rows.push(`| 8. Search index size (gzipped JSON, ${r.search.items.toLocaleString('en-US')} items); write -> findable, median and max of ${r.search.writeToFindableMs.samples.length} | ${kb(r.search.indexBytes)}; ${fmt(r.search.writeToFindableMs.median, 0)} ms, ${fmt(r.search.writeToFindableMs.max, 0)} ms | findable < 10 s | ${yes(r.search.findableGoalMet)} |`);
  }
  if (r.fanout) {
    const f = r.fanout;
    rows.push(`| 9. Notification fan-out, one event, ${f.recipients.toLocaleString('en-US')} recipients: prepared/s${f.sentPerSecond ? ', sent/s (SMTP)' : ''}; write units per recipient | ${fmt(f.preparedPerSecond, 0)}/s${f.sentPerSecond ? `, ${fmt(f.sentPerSecond, 0)}/s` : ''}; ${fmt(f.writeUnitsPerRecipient, 2)} WCU | ≤ 2 WCU | ${yes(f.writeUnitsGoalMet)} |`);
  }
  return rows.join('\n');
}

export function renderMarkdown(r: Report): string {
  const m = r.machine as Record<string, unknown>;
  const out: string[] = [];
  out.push('# Benchmark results', '');
  out.push(`${r.date} · ${m.cpuModel}, ${m.cores} cores, ${m.memoryGB} GB RAM · ${m.os} · Node ${m.node} · ${m.java} · DynamoDB Local ${m.dynamoDbLocal}`);
  out.push(`Load average at start ${(m.loadAverageAtStart as number[]).join(' ')}, at end ${(m.loadAverageAtEnd as number[]).join(' ')} (a shared machine: figures move with it). Run took ${r.durationSeconds} s${r.quick ? ' (--quick: rough figures)' : ''}.`, '');
  out.push('## Summary', '', summaryTable(r), '');
  for (const [what, error] of Object.entries(r.errors)) out.push(`**${what} figures failed:** \`${String(error).split('\n')[0]}\``, '');

  if (r.sign) {
    const s1 = r.sign;
    out.push('## 1. Signing throughput and latency', '');
    out.push('`POST /v1/petitions/{id}/signatures` through the local gateway (token check, middy stack, the petition from the container’s 5 s cache or one Query of it and its count item, conditional PutItem of the signature with its index entry), closed loop, HTTP/1.1 keep-alive (node:http Agent), each request a different signer. Baseline: the same DynamoDB Local, a plain conditional PutItem of an item of the same size (no index entry), from the same process, same concurrency. Runs of 1.5 s alternate (baseline, signing, signing, baseline, ...) and are pooled per concurrency. The signature counter (a separate Lambda in AWS) is held during the timed runs and catches up between them, so the figures are the request path; the whole system, counter included, is below.', '');
    out.push('| clients | signatures/s | p50 ms | p99 ms | baseline puts/s | p50 ms | p99 ms | ratio | best-run ratio | CPU ms per signature / per put (Node + JVM) | CPU ratio |', '|---|---|---|---|---|---|---|---|---|---|---|');
    for (const l of s1.levels) {
      out.push(`| ${l.clients} | ${fmt(l.signPerSecond, 0)} | ${fmt(l.signP50Ms)} | ${fmt(l.signP99Ms)} | ${fmt(l.baselinePerSecond, 0)} | ${fmt(l.baselineP50Ms)} | ${fmt(l.baselineP99Ms)} | **${fmt(l.throughputRatio, 2)}** | ${fmt(l.bestRunRatio, 2)} | ${fmt(l.signNodeCpuMs, 2)} + ${fmt(l.signJvmCpuMs, 2)} / ${fmt(l.baselineNodeCpuMs, 2)} + ${fmt(l.baselineJvmCpuMs, 2)} | ${fmt(l.cpuRatio, 2)} |`);
    }
    out.push('', 'Ratio: pooled signatures/s over pooled baseline puts/s (the goal\'s figure). Best-run ratio: the best of the four signing runs over the best of the four baseline runs (other work on a shared machine only slows runs down). CPU ratio: CPU time per baseline put over CPU time per signature, this process and the DynamoDB Local JVM together (from /proc), which is what the throughput ratio tends to when these two have the cores to themselves; it does not move with other load as much.', '');
    const failures = s1.levels.filter((l) => l.signFailed || l.baselineFailed);
    if (failures.length) out.push(`Failed requests: ${failures.map((l) => `${l.clients} clients: ${l.signFailed} signing, ${l.baselineFailed} baseline${l.signFirstFailure ? ` (${l.signFirstFailure})` : ''}`).join('; ')}.`, '');
    out.push(`**Goal: at least ${GOALS.signThroughputRatio * 100} % of the baseline at ${s1.clients} clients — ${s1.throughputRatioGoalMet ? 'met' : 'not met'} (${fmt((s1.throughputRatio ?? 0) * 100)} %).**`, '');
    out.push(`Where the difference goes, at ${s1.clients} clients, in CPU time per request (steady) and throughput (one run each for the middle rows, so noisier):`, '');
    out.push('| what runs per request | CPU ms: Node + JVM | CPU ratio to the baseline | per second |', '|---|---|---|---|');
    const t = s1.levels.at(-1)!;
    const baseCpu = (t.baselineNodeCpuMs ?? 0) + (t.baselineJvmCpuMs ?? 0);
    const row = (what: string, node: number | null, jvm: number | null, perSecond: number | null) =>
      out.push(`| ${what} | ${fmt(node, 2)} + ${fmt(jvm, 2)} | ${fmt(baseCpu / ((node ?? 0) + (jvm ?? 0)), 2)} | ${fmt(perSecond, 0)} |`);
    row('conditional PutItem (the baseline)', t.baselineNodeCpuMs, t.baselineJvmCpuMs, t.baselinePerSecond);
    row('the same put with its index entry (the public signer list, gsi1)', s1.baselineWithIndexEntryNodeCpuMs, s1.baselineWithIndexEntryJvmCpuMs, s1.baselineWithIndexEntryPerSecond);
    row('a GetItem of the petition, then that put (what the handler did before its 5 s open-petition cache)', s1.baselineHandlerWorkNodeCpuMs, s1.baselineHandlerWorkJvmCpuMs, s1.baselineHandlerWorkPerSecond);
    row('signing through the API: HTTP client and server, local gateway, token check, middy, document client, the put with its index entry', t.signNodeCpuMs, t.signJvmCpuMs, t.signPerSecond);
    out.push('');
    out.push(`Whole system (signature counter and alert notifier running on the same ${String((r.machine as Record<string, unknown>).cores)} cores as DynamoDB Local and the API): ${s1.wholeSystem.map((w) => `${w.clients} client${w.clients === 1 ? '' : 's'} ${fmt(w.signPerSecond, 0)}/s (p50 ${fmt(w.signP50Ms)} ms, ratio ${fmt(w.throughputRatio, 2)})`).join('; ')}. At one client every signature is a stream batch of its own, so each one also costs the counter a BatchGet and a transaction.`, '');
    out.push(`In the ${s1.load.ok.toLocaleString('en-US')}-signature run of figure 3 (32 clients, counter live) a signature took ${fmt(s1.breakdownAt32.httpMeanMs)} ms on average, of which ${fmt(s1.breakdownAt32.putItemMeanMs)} ms waiting for its PutItem (client-side, queueing included); the petition was read ${fmt(s1.breakdownAt32.petitionReadsPerSignature, 4)} times per signature (the handler's Query of the petition and its count item on a miss of the open-petition cache — here one process is one "container" for all clients; in AWS each warm container reads it once per 5 s — and the counter's BatchGetItem once per batch). Item sizes: signature ${s1.itemBytes.signature} B, baseline ${s1.itemBytes.baseline} B.`, '');
  }

  if (r.sign && r.ballots && r.cost) {
    out.push('## 2. Write units per signature and per ballot; cost', '');
    out.push(`From DynamoDB's own consumed capacity: an SDK middleware on the handlers' client adds \`ReturnConsumedCapacity: INDEXES\` to every request and sums the answers, over the ${r.sign.load.ok.toLocaleString('en-US')} signatures of figure 3 and everything the stream consumers wrote for them.`, '');
    out.push(`- **${fmt(r.sign.writeUnitsPerSignature, 3)} write units per signature under load** (minimum: ${r.sign.minimumWriteUnitsPerSignature}, the signature item alone). By operation: ${Object.entries(r.sign.writeUnitsPerSignatureByOperation).map(([op, u]) => `${op} ${u}`).join(', ')}. Goal ≤ ${GOALS.writeUnitsPerSignatureUnderLoad}: ${r.sign.writeUnitsGoalMet ? 'met' : '**not met**'}.`);
    for (const alone of r.sign.alone) {
      out.push(`- **${fmt(alone.writeUnitsPerSignature, 2)} write units per signature alone in its stream batch**, petitions of ${alone.textLength.toLocaleString('en-US')} characters (measured: ${alone.signatures} petitions signed once each, every consumer drained after each signature, as for a petition signed a few times an hour). By operation: ${Object.entries(alone.byOperation).map(([op, u]) => `${op} ${u}`).join(', ')}. Goal ≤ ${GOALS.writeUnitsPerSignatureAlone}: ${alone.goalMet ? 'met' : '**not met**'}.`);
    }
    const wb = r.sign.writeUnitsByBatchSize;
    out.push(`- The counter writes once per petition per stream batch: a transaction of ${fmt(wb.perCounterTransaction, 1)} units (the petition's count item — under 1 KB, whatever the petition's size — with its "most signed" entry, whose key changes: a delete and a put; the checkpoint; the hourly history point; all doubled as a transaction; the petition item and its other listings are not written). Per signature that is ${fmt(wb.signatureItself, 2)} + ${fmt(wb.perCounterTransaction, 1)} / batch: ${wb.byBatch.map((x) => `${x.batch} → ${fmt(x.writeUnitsPerSignature, 2)}`).join(', ')}. This run's batches held ${fmt(wb.measuredBatch, 1)} signatures on average; the under-load goal holds from ${wb.breakEvenBatch ?? 'n/a'} signatures per batch.`);
    out.push(`- Single-item writes: DynamoDB Local reported ${fmt(r.sign.capacitySource.singleItemWritesReported, 0)} units (${Object.entries(r.sign.capacitySource.singleItemWritesReportedByTarget).map(([t, u]) => `${t} ${u}`).join(', ')}); the AWS rule gives ${fmt(r.sign.capacitySource.singleItemWritesByAwsRule, 0)}.`);
    out.push(`- Transactions (the signature counter's, one per petition per batch): DynamoDB Local's ConsumedCapacity for TransactWriteItems does not follow the AWS rule (a one-item 100-byte transaction reports 4 units, a two-item one also 4), so they are **computed by the rule**: 2 units per KB for each item and each index entry written (an index key change counts as a delete plus a put), items sized from the request or, for updates, from the item read back after the write. Rule: ${fmt(r.sign.capacitySource.transactionsByAwsRule, 0)} units; DynamoDB Local said ${fmt(r.sign.capacitySource.transactionsReportedByDynamoDbLocal, 0)}.`);
    out.push(`- Failed writes (no capacity comes back with an error; charged by rule): ${fmt(r.sign.capacitySource.failedWritesByAwsRule, 0)} units. Errors: ${JSON.stringify(r.sign.operations.errors)}.`);
    out.push(`- Read units per signature: ${fmt(r.sign.readUnitsPerSignature, 3)} (the petition and its count item, one Query in the handler on a cache miss; the counter's consistent BatchGet per batch).`);
    out.push(`- The stored count after the run: ${r.sign.countedExactly.stored} for ${r.sign.countedExactly.expected} signatures (${r.sign.countedExactly.exact ? 'exact' : '**not exact**'}).`);
    const c = r.ballots.consultationResponse;
    out.push('writeUnitsPerResponse' in c
      ? `- **Consultation responses** (\`PUT /v1/consultations/{id}/response\`, ${c.responses} people): ${fmt(c.writeUnitsPerResponse, 3)} write units each (${Object.entries(c.byOperation ?? {}).map(([op, u]) => `${op} ${u}`).join(', ')}), ${fmt(c.readUnitsPerResponse, 3)} read units. All responses of a consultation share one partition key (\`${c.largestPartition}\`: ${fmt((c.largestPartitionShare ?? 0) * 100)} % of its writes), by design (see shared/data/consultations.ts: ~1,000 responses/s per consultation).`
      : `- Consultation responses: not available (${c.reason}).`);
    const bb = r.ballots.budgetBallot;
    out.push('writeUnitsPerBallot' in bb
      ? `- **Budget ballots** (\`POST /v1/budgets/{id}/ballots\`, ${bb.ballots} voters, approval of 1-3 of 5 projects): ${fmt(bb.writeUnitsPerBallot, 3)} write units each (${Object.entries(bb.byOperation ?? {}).map(([op, u]) => `${op} ${u}`).join(', ')}), ${fmt(bb.readUnitsPerBallot, 3)} read units. A secret ballot is two items written together (who voted, and the anonymous ballot), so a transaction: 2 × 2 units at least. Largest partition: \`${bb.largestPartition}\` with ${fmt((bb.largestPartitionShare ?? 0) * 100)} % of the ballots.`
      : `- Budget ballots: ${bb.reason}.`, '');
    out.push(`Cost per million signatures, AWS on-demand list prices, ${r.cost.region}, USD (prices in bench/lib/prices.ts):`, '');
    out.push('| item | basis | USD per million signatures |', '|---|---|---|');
    for (const l of r.cost.lines) out.push(`| ${l.item} | ${l.basis} | ${fmt(l.usdPerMillion, 3)} |`);
    out.push(`| **total** | | **${fmt(r.cost.usdPerMillionSignatures, 2)}** |`, '');
    out.push(`Lambda memory ${r.cost.inputs.memoryMb} MB (infra/config.ts default). The signing function's duration is the measured p50 at one client through the local gateway (${fmt(r.cost.inputs.signMs ?? 0)} ms, mostly the DynamoDB Local PutItem round trip; in AWS an in-region DynamoDB write takes a few ms too). The authorizer's is the local ES256 token check (${fmt(r.cost.inputs.authorizerMs ?? 0, 2)} ms; Lambda bills at least 1 ms). The counter's invocations and duration are those of this run (${r.hotKey?.counter.invocations} invocations, ${fmt(r.hotKey?.counter.recordsPerInvocation ?? 0)} records each on average); in AWS the batch size follows the load (batch 500, window 1 s), so a slow trickle costs more invocations per signature. Not included: data transfer out, the fixed WAF/CloudWatch monthly fees, alarms, the alert e-mails.`, '');
  }

  if (r.hotKey) {
    out.push('## 3. Hot keys', '');
    out.push(`${r.hotKey.signatures.toLocaleString('en-US')} signatures on one petition through the gateway at 32 clients, then until the stream consumers were idle. Every item write the code made was recorded by the SDK middleware with the partition keys it lands on: the base table's \`pk\`, and for each index the item is in, its \`gsiNpk\` (for a Put from the item; for an Update from the item read back after it, since with ALL projection any change of an indexed item rewrites its index entries, and an index key change is two writes). ${r.hotKey.itemWrites.toLocaleString('en-US')} item writes and ${r.hotKey.indexWrites.toLocaleString('en-US')} index writes landed on ${r.hotKey.partitionsWritten.toLocaleString('en-US')} partition keys.`, '');
    out.push(`Largest: \`${r.hotKey.maxKey}\` with ${fmt((r.hotKey.maxWritesFraction ?? 0) * 100, 2)} % of the signatures' count in writes. Goal ≤ ${GOALS.hotKeyMaxWritesFraction * 100} %: ${r.hotKey.goalMet ? 'met' : '**not met**'}. The signature counter ran ${r.hotKey.counter.invocations} times (${r.hotKey.counter.transactions} transactions, ${fmt(r.hotKey.counter.recordsPerInvocation)} records per invocation with records).`, '');
    out.push('How to read it: the signatures themselves spread over one partition per signer (base table) and the 16 signer shards of gsi1 (1/16 = 6.25 % each, plus hashing noise). The petition\'s own partition (`PETITION#<id>`: the petition item, the counter\'s checkpoint and the hourly history point) takes 3 writes per counter transaction, and the community\'s listing partitions (`C#<community>#PETITIONS#open` in gsi1, gsi2 and gsi3) 1, 1 and 2 — per batch, not per signature, so their shares are 3 / batch size and 2 / batch size and fall as the load (and the batches) grow. What limits them is the rate of counter transactions (one at a time per stream shard and petition), far below 1,000 writes/s; but the listing partitions are shared by every open petition of the community, so several viral petitions at once add up there.', '');
    out.push('| partition key | writes | share of signatures |', '|---|---|---|');
    for (const t of r.hotKey.top) out.push(`| \`${t.key}\` | ${t.writes} | ${fmt((t.fraction ?? 0) * 100, 2)} % |`);
    out.push('');
  }

  if (r.bundlesSummary) {
    out.push('## 4. Cold start: bundle size and import time', '');
    const h = r.bundlesSummary.http;
    out.push(`All ${r.bundlesSummary.count} Lambda bundles built by \`bundleFunctions\` (infra/bundle.ts: one esbuild call, minified ESM, \`@aws-sdk/*\` external, each HTTP function with only its own route and schemas — infra/lean-route.ts) in ${r.bundlesSummary.buildMs} ms. Import time is \`await import(bundle)\` in a fresh \`node\` process (median of ${r.quick ? 3 : 5}; wall and CPU time), the SDK resolved from node_modules as the runtime's copy would be; "beyond the SDK" is the same import with the SDK clients already loaded in the process. This is the module-loading part of a cold start, not the Lambda runtime's own init. On a shared, busy machine wall times inflate: the CPU column and the SDK's own figure (same run) are the yardstick.`, '');
    out.push(`Goals: every HTTP bundle < ${kb(GOALS.bundleBytes)} — ${r.bundlesSummary.sizeGoalMet ? 'met' : `**not met** (${r.bundlesSummary.overSizeGoal.join(', ')})`}; every import < ${GOALS.importMs} ms — ${r.bundlesSummary.importGoalMet ? 'met' : `**not met** (${r.bundlesSummary.importOver150ms.length} of ${r.bundlesSummary.count} at ${GOALS.importMs} ms or more${r.bundlesSummary.importOver150ms.length <= 8 ? `: ${r.bundlesSummary.importOver150ms.join(', ')}` : ''})`}; HTTP median < ${GOALS.importMedianMs} ms — ${h.medianGoalMet ? 'met' : `**not met** (${fmt(h.medianImportMs, 0)} ms)`}; beyond the SDK < ${GOALS.ownImportMs} ms — ${h.ownGoalMet ? 'met' : `**not met** (slowest ${fmt(h.maxOwnMs, 0)} ms)`}.`, '');
    out.push(`Median import by kind: ${Object.entries(r.bundlesSummary.medianImportMsByKind).map(([k, v]) => `${k} ${fmt(v, 0)} ms`).join(', ')}. Importing only \`@aws-sdk/client-dynamodb\` and \`@aws-sdk/lib-dynamodb\` (external to every bundle; the floor for any function that touches the table): ${fmt(r.bundlesSummary.sdkOnlyImportMs, 0)} ms (median of 7).`, '');
    out.push('### Cold-start budget of an HTTP function', '');
    out.push(`The parts every HTTP function is made of, each bundled alone and imported in a fresh process (median of 7), against the budget: ${GOALS.importMs} ms worst, of which the SDK clients take what they take (external: the runtime's copy) and everything ours gets ${GOALS.ownImportMs} ms.`, '');
    out.push('| part | import ms (wall) | CPU ms | budget |', '|---|---|---|---|');
    const budgets: Record<string, string> = { 'the SDK clients': '~114 ms (not ours)', zod: '≤ 15 ms', 'Powertools logger': '≤ 10 ms' };
    for (const p of r.bundlesSummary.parts) {
      const budget = Object.entries(budgets).find(([key]) => p.what.startsWith(key) || p.what.includes(key))?.[1] ?? '—';
      out.push(`| ${p.what} | ${fmt(p.importMs)} | ${fmt(p.cpuMs)} | ${budget} |`);
    }
    out.push(`| an HTTP function beyond the SDK (median of ${h.count}; slowest) | ${fmt(h.medianOwnMs)}; ${fmt(h.maxOwnMs)} | — | < ${GOALS.ownImportMs} ms |`);
    out.push(`| an HTTP function, whole (median; slowest) | ${fmt(h.medianImportMs)}; ${fmt(h.maxImportMs)} | ${fmt(h.medianCpuMs)} (median) | < ${GOALS.importMedianMs} ms median, < ${GOALS.importMs} ms worst |`);
    out.push('');
    const c = r.bundlesSummary.composition;
    if (c) out.push(`What the largest HTTP bundle (${c.name}, ${kb(c.bytes)}) is made of: ${c.parts.map((p) => `${p.what} ${p.kb} KB`).join(', ')}.`, '');
    out.push('| function | kind | size | import ms | CPU ms | beyond the SDK ms |', '|---|---|---|---|---|---|');
    for (const b of [...r.bundles].sort((a, b) => b.bytes - a.bytes)) out.push(`| ${b.name} | ${b.kind} | ${kb(b.bytes)} | ${b.error ? `error: ${b.error}` : fmt(b.importMs)} | ${fmt(b.cpuMs)} | ${fmt(b.ownMs)} |`);
    out.push('');
  }

  out.push('## 5. Tally', '');
  if (!r.tallyStatus) out.push('Not run.', '');
  else if (!r.tallyStatus.available) out.push(`Not available: ${r.tallyStatus.reason}.`, '');
  else {
    out.push('`tally()` of shared/domain/budget, greedy (most votes first, skip what does not fit) and MES with cost utility and the Add1 completion, on the Pabulib files (parsed with the module\'s own parser) and on a generated approval election (seeded; power-law popularity, geometric ballot lengths, mean ≈ 3.5). Each row is a fresh `node` process running an esbuild bundle of bench/tally-child.ts: time is the median of up to 7 runs (one run when it takes over 200 ms); memory is the process\'s peak RSS (VmHWM from /proc/self/status, which starts afresh at exec; input included) and, beside it, what the tally added to the peak reached while the input was read.', '');
    if (r.tallyStatus.reason) out.push(`Note: ${r.tallyStatus.reason}.`, '');
    out.push('| election | rule | voters | projects | ms | peak RSS MB | added by tally MB | winners | Add1 steps | reproduces `selected` |', '|---|---|---|---|---|---|---|---|---|---|');
    for (const t of r.tally) {
      out.push(`| ${t.election} | ${t.rule}${t.note ? ` (${t.note})` : ''} | ${t.voters || ''} | ${t.projects ?? ''} | ${t.error ? `error: ${t.error}` : fmt(t.ms, 1)} | ${fmt(t.peakMB, 0)} | ${fmt(t.tallyRssMB, 0)} | ${t.winners ?? ''} | ${t.add1Steps ?? ''} | ${'reproducesSelected' in t ? yes(t.reproducesSelected) : '—'} |`);
    }
    out.push('', '"reproduces `selected`" is filled where the file\'s own rule is the one run.', '');
  }

  if (r.read) {
    out.push('## 6. Read path', '');
    out.push(`\`GET /v1/petitions/{id}\` (the ${r.hotKey?.signatures.toLocaleString('en-US') ?? ''}-signature petition) through the local gateway, ${r.read.clients} keep-alive clients: **${fmt(r.read.requestsPerSecond, 0)} requests/s**, p50 ${fmt(r.read.p50Ms)} ms, p99 ${fmt(r.read.p99Ms)} ms (${r.read.failed} failed); the same Query alone (the petition and its count item) from this process: ${fmt(r.read.baselineReadPerSecond, 0)}/s (ratio ${fmt(r.read.ratioToRead, 2)}). Body ${r.read.bodyBytes} B.`, '');
    out.push(`The API sends \`Cache-Control: ${r.read.cacheControl}\` and \`ETag: ${r.read.etag}\`; a request with \`If-None-Match\` gets ${r.read.ifNoneMatchStatus}.${r.read.cdn ? ` ${r.read.cdn.note[0]!.toUpperCase()}${r.read.cdn.note.slice(1)}: about ${r.read.cdn.originRequestsPerEdgePerSecond} requests/s per edge, so a petition watched by a whole city costs the origin a few requests per second across all edges instead of one per reader (the UK petitions site fell over on uncached count polling).` : ''}`, '');
  }
  if (r.search) {
    const l = r.search.load;
    out.push('## 8. Search', '');
    out.push(`${r.search.items.toLocaleString('en-US')} items (half petitions, half budget projects; seeded Ukrainian texts of 60-80 words) written to the table and indexed from its stream by the search-indexer consumer in ${fmt(r.search.indexSeconds)} s; the stored index is ${kb(r.search.indexBytes)} (gzipped JSON). Then \`GET /v1/search\` through the local gateway, ${r.search.clients} keep-alive clients in a closed loop, 200 queries in turn (inflected forms, two-word queries, one-letter typos): **${fmt(l.perSecond, 0)} searches/s, p50 ${fmt(l.p50Ms)} ms, p99 ${fmt(l.p99Ms)} ms** (${l.failed} failed). Write -> findable (a PutItem of a petition with a new word, then a search every 50 ms): ${r.search.writeToFindableMs.samples.join(', ')} ms.`, '');
  }
  if (r.fanout) {
    const f = r.fanout;
    out.push('## 9. Notification fan-out', '');
    out.push(`One "threshold reached" event for ${f.recipients.toLocaleString('en-US')} followers (each with a contact), through the real fan-out consumer (pages of 1,000 followers from 16 shards, one outbox item per recipient, its cursor saved and resumed) on DynamoDB Local: **${fmt(f.preparedPerSecond, 0)} messages prepared/s** (${fmt(f.prepareSeconds)} s).${f.sendSeconds ? ` Sent through the sender consumer to the local SMTP server, with a sent marker each: all in ${fmt(f.sendSeconds)} s (**${fmt(f.sentPerSecond ?? 0, 0)}/s**).` : ''} Write units per recipient: **${fmt(f.writeUnitsPerRecipient, 2)}** (the outbox item and the sent marker, each under 1 KB). In AWS the SES account rate, not the fan-out, sets the pace.`, '');
  }
  return `${out.join('\n')}\n`;
}
