import { stringify } from 'yaml';
import { label } from '../../runtime/docker/labels.js';
import type { LaunchRequest } from '../engine.js';

const TOKEN_DIR = '/var/run/soak';

export const jobName = (request: Pick<LaunchRequest, 'runId' | 'stream'>) => `soak-${request.runId}-${request.stream}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 52).replace(/-+$/, '');

/**
 * The Kubernetes objects of a stream's workers: a Secret with the token and an Indexed Job of
 * `count` pods run at once, each a soak worker that connects out to the coordinator. A pod is not
 * retried (backoffLimit 0): a worker that dies is reported lost by the run, not replaced half-way.
 */
export function jobManifest(request: LaunchRequest): string {
  const name = jobName(request);
  const labels = { [label.run]: request.runId, 'app.kubernetes.io/name': 'soak-worker' };
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name, labels }, type: 'Opaque', stringData: { token: request.token } };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels },
    spec: {
      completionMode: 'Indexed',
      completions: request.count,
      parallelism: request.count,
      backoffLimit: 0,
      ttlSecondsAfterFinished: 600,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'worker',
              image: request.image,
              command: ['node', '/soak/bin/soak.js', 'worker', '--connect', request.connect, '--token-file', `${TOKEN_DIR}/token`],
              volumeMounts: [{ name: 'token', mountPath: TOKEN_DIR, readOnly: true }],
            },
          ],
          volumes: [{ name: 'token', secret: { secretName: name } }],
        },
      },
    },
  };
  return [secret, job].map((object) => stringify(object, { aliasDuplicateObjects: false })).join('---\n');
}
