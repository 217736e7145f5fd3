import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { jobManifest } from '../../src/distributed/engines/job-manifest.js';
import { runSoak } from '../helpers/soak-cli.js';

const labels = z.record(z.string(), z.string());
const secretSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Secret'),
  metadata: z.object({ name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63), labels }).strict(),
  type: z.literal('Opaque'),
  stringData: z.object({ token: z.string() }).strict(),
}).strict();
const jobSchema = z.object({
  apiVersion: z.literal('batch/v1'),
  kind: z.literal('Job'),
  metadata: z.object({ name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(52), labels }).strict(),
  spec: z.object({
    completionMode: z.literal('Indexed'),
    completions: z.number().int().positive(),
    parallelism: z.number().int().positive(),
    backoffLimit: z.literal(0),
    ttlSecondsAfterFinished: z.number().int().positive(),
    template: z.object({
      metadata: z.object({ labels }).strict(),
      spec: z.object({
        restartPolicy: z.literal('Never'),
        containers: z.array(z.object({
          name: z.string(),
          image: z.string(),
          command: z.array(z.string()),
          volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string(), readOnly: z.boolean() }).strict()),
        }).strict()).length(1),
        volumes: z.array(z.object({ name: z.string(), secret: z.object({ secretName: z.string() }).strict() }).strict()),
      }).strict(),
    }).strict(),
  }).strict(),
}).strict();

function objects(text: string) {
  const documents = parseAllDocuments(text);
  for (const document of Array.isArray(documents) ? documents : [documents]) expect(document.errors).toEqual([]);
  return (Array.isArray(documents) ? documents : [documents]).map((document) => document.toJS() as Record<string, unknown>);
}

describe('the kubernetes engine', () => {
  it('renders a Secret and an Indexed Job of one pod per worker that connects out with the token file', () => {
    const [secret, job] = objects(jobManifest({ runId: 'mq2x-1a2b3c', stream: 'Checkout_API', count: 4, connect: 'coordinator.example:7070', token: 's3cret', image: 'registry.example/soak-worker:1' }));
    const parsedSecret = secretSchema.parse(secret);
    const parsedJob = jobSchema.parse(job);
    expect(parsedSecret.stringData.token).toBe('s3cret');
    expect(parsedJob.metadata.name).toBe('soak-mq2x-1a2b3c-checkout-api');
    expect(parsedJob.spec).toMatchObject({ completions: 4, parallelism: 4 });
    const pod = parsedJob.spec.template.spec;
    expect(pod.volumes[0]!.secret.secretName).toBe(parsedSecret.metadata.name);
    const container = pod.containers[0]!;
    expect(container.image).toBe('registry.example/soak-worker:1');
    expect(container.command).toEqual(['node', '/soak/bin/soak.js', 'worker', '--connect', 'coordinator.example:7070', '--token-file', `${container.volumeMounts[0]!.mountPath}/token`]);
    // The token is in the Secret only, never in the pod's spec.
    expect(JSON.stringify(job)).not.toContain('s3cret');
  });

  it('soak run --engine kubernetes --dry-run prints the manifest with the token left as ${SOAK_TOKEN}', async () => {
    const result = await runSoak(['run', '--cmd', 'node server.js', '--rate', '500', '--processes', '3', '--engine', 'kubernetes', '--listen', '0.0.0.0:7070', '--advertise', 'coordinator.example:7070', '--dry-run'], { SOAK_TOKEN: 'not-printed' });
    expect(result.code).toBe(0);
    const [secret, job] = objects(result.stdout);
    expect(secretSchema.parse(secret).stringData.token).toBe('${SOAK_TOKEN}');
    expect(jobSchema.parse(job).spec.completions).toBe(3);
    expect(result.stdout).not.toContain('not-printed');
    expect(result.stdout).toContain('coordinator.example:7070');
  });
});
