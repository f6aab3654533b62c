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

/** Port: where alerts go. EventBridge + SNS in AWS, a local sink on a developer's machine. */
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

export function alertMessage(alert: CouncilAlert): { subject: string; text: string } {
  return {
    subject: `Petition reached ${alert.threshold} signatures`.slice(0, 100),
    text: [
      `The petition "${alert.title}" reached ${alert.threshold} signatures (${alert.purpose}) at ${alert.reachedAt}.`,
      `Signatures when recorded: ${alert.signatureCount}.`,
      `Petition id: ${alert.petitionId}`,
      `Alert key: ${alert.idempotencyKey}`,
    ].join('\n'),
  };
}
