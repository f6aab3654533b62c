import { appendFileSync } from 'node:fs';
import type { AlertPublisher, CouncilAlert } from './alert.ts';

/**
 * The local stand-in for EventBridge + SNS: records every delivery attempt (in memory and, when a
 * file is given, as JSON lines) and, like a receiver that honours idempotency keys, shows each
 * alert once in `alerts()`.
 */
export class LocalAlertSink implements AlertPublisher {
  readonly deliveries: CouncilAlert[] = [];

  /** `target`: a file to append JSON lines to, or `stdout`. */
  constructor(private readonly target?: string) {}

  async publish(alert: CouncilAlert): Promise<void> {
    this.deliveries.push(alert);
    const line = JSON.stringify({ deliveredAt: new Date().toISOString(), ...alert });
    if (this.target === 'stdout') console.log(`  council alert: ${line}`);
    else if (this.target) appendFileSync(this.target, line + '\n');
  }

  /** Alerts as the council sees them: one per idempotency key. */
  alerts(): CouncilAlert[] {
    const seen = new Map<string, CouncilAlert>();
    for (const alert of this.deliveries) if (!seen.has(alert.idempotencyKey)) seen.set(alert.idempotencyKey, alert);
    return [...seen.values()];
  }
}
