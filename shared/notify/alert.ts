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

/**
 * The `event` of the log line the alert notifier writes when an alert cannot be e-mailed (no
 * recipients configured for the community, or no mail in the deployment): a metric filter counts
 * these lines and an alarm watches the count (infra/stacks/alerts-stack.ts). Locally the line is
 * on the console.
 */
export const ALERT_UNDELIVERED_EVENT = 'council-alert-undelivered';

/** The same for a notification to a person that could not be sent (no mail in the deployment). */
export const NOTIFICATION_UNDELIVERED_EVENT = 'notification-undelivered';
