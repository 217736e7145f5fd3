import type { Detector } from '../types.js';

/**
 * A soak worker lost mid-run (its connection closed or its heartbeat stopped): the run sent less
 * than planned, so its figures are not those of the load asked for and it cannot pass. The finding
 * names how much of the plan was not sent.
 */
export const workerLost: Detector = {
  name: 'worker-lost',
  detect(facts) {
    return facts.lostWorkers.map((lost) => {
      const missing = [
        lost.undeliveredRequests > 0 ? `${lost.undeliveredRequests} requests` : '',
        lost.undeliveredConnectionSeconds > 0 ? `${lost.undeliveredConnectionSeconds} connection-seconds` : '',
      ].filter(Boolean);
      return {
        kind: 'load-not-delivered',
        severity: 'fail' as const,
        title: `load "${lost.stream}": worker ${lost.name} lost, ${missing.join(' and ') || 'none'} of the plan not sent`,
        at: lost.t,
        evidence: {
          summary: `Worker ${lost.name} (share ${lost.share} of stream "${lost.stream}") was lost ${Math.round((lost.t - facts.startT) / 1000)}s into the run (${lost.reason}). The planned load of its share from then on was not sent: ${missing.join(' and ') || 'nothing was left'}. The other workers went on; the run's figures are of less load than planned.`,
          stream: lost.stream,
          worker: lost.name,
          share: lost.share,
          reason: lost.reason,
          undeliveredRequests: lost.undeliveredRequests,
          undeliveredConnectionSeconds: lost.undeliveredConnectionSeconds,
        },
      };
    });
  },
};
