/**
 * AWS on-demand list prices used for the cost per million signatures, region eu-central-1
 * (Frankfurt), in USD, as known to the author in 2025 from the AWS pricing pages; they change, so
 * check https://aws.amazon.com/{api-gateway,lambda,dynamodb,waf,cloudwatch}/pricing/ before quoting.
 * Free tiers are ignored; volume tiers beyond the first are ignored.
 */
export const REGION = 'eu-central-1';

export const PRICES = {
  /** API Gateway REST API, per request (first 333 million a month: $3.70 per million). */
  apiGatewayRestPerRequest: 3.70 / 1e6,
  /** AWS WAF (the API's web ACL), per request inspected: $0.60 per million (plus $5/ACL and $1/rule a month, fixed). */
  wafPerRequest: 0.60 / 1e6,
  /** Lambda requests: $0.20 per million. */
  lambdaPerRequest: 0.20 / 1e6,
  /** Lambda duration, arm64 (Graviton), per GB-second (first 7.5 billion GB-s a month). */
  lambdaArmPerGbSecond: 0.0000133334,
  /** DynamoDB on-demand, per write request unit ($0.7625 per million since the November 2024 price cut). */
  dynamoDbPerWriteUnit: 0.7625 / 1e6,
  /** DynamoDB on-demand, per read request unit ($0.1525 per million). */
  dynamoDbPerReadUnit: 0.1525 / 1e6,
  /** DynamoDB Streams GetRecords made by a Lambda event source mapping: free. */
  dynamoDbStreamsLambdaGetRecords: 0,
  /** CloudWatch Logs ingestion (standard class), per GB: $0.63. */
  cloudWatchLogsPerGb: 0.63,
} as const;

/**
 * Bytes of Lambda platform log lines per invocation (START, END and REPORT in text format), an
 * estimate: not measured here, the local runtime does not emit them.
 */
export const LAMBDA_PLATFORM_LOG_BYTES = 300;

export interface CostInputs {
  memoryMb: number;
  /** Billed duration of the signing function (ms, rounded up to a whole ms by Lambda). */
  signMs: number;
  /** Authorizer invocations per signature (cached per token for 300 s: one per signer). */
  authorizerInvocationsPerSignature: number;
  authorizerMs: number;
  writeUnitsPerSignature: number;
  readUnitsPerSignature: number;
  counterInvocationsPerSignature: number;
  counterMs: number;
  /** Application log bytes per signing request. */
  logBytesPerSignature: number;
}

export interface CostLine {
  item: string;
  basis: string;
  usdPerMillion: number;
}

export function costPerMillionSignatures(x: CostInputs): CostLine[] {
  const million = 1e6;
  const gb = x.memoryMb / 1024;
  const billed = (ms: number) => Math.max(1, Math.ceil(ms)) / 1000;
  const lines: CostLine[] = [
    { item: 'API Gateway REST requests', basis: '1 request per signature', usdPerMillion: million * PRICES.apiGatewayRestPerRequest },
    { item: 'WAF requests', basis: '1 request per signature', usdPerMillion: million * PRICES.wafPerRequest },
    { item: 'Lambda requests (sign)', basis: '1 invocation per signature', usdPerMillion: million * PRICES.lambdaPerRequest },
    {
      item: 'Lambda duration (sign)', basis: `${Math.ceil(x.signMs)} ms x ${x.memoryMb} MB arm64`,
      usdPerMillion: million * billed(x.signMs) * gb * PRICES.lambdaArmPerGbSecond,
    },
    {
      item: 'Lambda authorizer', basis: `${x.authorizerInvocationsPerSignature} invocation per signer (300 s cache), ${Math.ceil(x.authorizerMs)} ms x ${x.memoryMb} MB`,
      usdPerMillion: million * x.authorizerInvocationsPerSignature * (PRICES.lambdaPerRequest + billed(x.authorizerMs) * gb * PRICES.lambdaArmPerGbSecond),
    },
    {
      item: 'DynamoDB writes', basis: `${x.writeUnitsPerSignature.toFixed(3)} write units per signature`,
      usdPerMillion: million * x.writeUnitsPerSignature * PRICES.dynamoDbPerWriteUnit,
    },
    {
      item: 'DynamoDB reads', basis: `${x.readUnitsPerSignature.toFixed(3)} read units per signature`,
      usdPerMillion: million * x.readUnitsPerSignature * PRICES.dynamoDbPerReadUnit,
    },
    {
      item: 'Stream consumer (signature counter)', basis: `${x.counterInvocationsPerSignature.toFixed(4)} invocations per signature, ${Math.ceil(x.counterMs)} ms each; GetRecords free`,
      usdPerMillion: million * x.counterInvocationsPerSignature * (PRICES.lambdaPerRequest + billed(x.counterMs) * gb * PRICES.lambdaArmPerGbSecond),
    },
    {
      item: 'CloudWatch Logs (estimate)', basis: `${Math.round(x.logBytesPerSignature)} B app log + ${LAMBDA_PLATFORM_LOG_BYTES} B platform lines per signing invocation`,
      usdPerMillion: (million * (x.logBytesPerSignature + LAMBDA_PLATFORM_LOG_BYTES) / 1024 ** 3) * PRICES.cloudWatchLogsPerGb,
    },
  ];
  return lines;
}
