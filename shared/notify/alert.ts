/** What the council receives when a petition reaches a threshold. */
export interface CouncilAlert {
  /** Stable across every retry and redelivery: receivers drop repeats by it. */
  readonly idempotencyKey: string;
  readonly community: string;
  readonly petitionId: string;
  readonly title: string;
  readonly threshold: number;
  readonly purpose: string;
  readonly reachedAt: string;
  readonly signatureCount: number;
}

/** Port: where alert events go (for integrations). EventBridge in AWS, a local sink on a developer's machine. */
export interface AlertPublisher {
  publish(alert: CouncilAlert): Promise<void>;
}

export function alertFromItem(item: Record<string, unknown>): CouncilAlert {
  return {
    idempotencyKey: String(item.idempotencyKey),
    community: String(item.community),
    petitionId: String(item.petitionId),
    title: String(item.title),
    threshold: Number(item.threshold),
    purpose: String(item.purpose),
    reachedAt: String(item.reachedAt),
    signatureCount: Number(item.signatureCount),
  };
}
