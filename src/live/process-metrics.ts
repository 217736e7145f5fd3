import type { Family, Sample } from './exposition.js';
import type { LatestFigures, ProbedProcess } from './latest.js';

type Pick = (process: ProbedProcess) => number | undefined;

/** One gauge per probed process, labelled by service and pid. */
function perProcess(latest: LatestFigures, pick: Pick): Sample[] {
  const samples: Sample[] = [];
  for (const process of latest.processes.values()) {
    const value = pick(process);
    if (value !== undefined) samples.push({ labels: { service: process.sample.service, pid: process.sample.pid }, value });
  }
  return samples;
}

const gauge = (name: string, help: string, latest: LatestFigures, pick: Pick): Family => ({ name, type: 'gauge', help, samples: perProcess(latest, pick) });

/** What the probe saw last inside each process (Node targets), what the OS sees of each service's process tree, and what the engine says of its container. */
export function processFamilies(latest: LatestFigures): Family[] {
  const processes = [...latest.processes.values()];
  const labelled = (process: ProbedProcess) => ({ service: process.sample.service, pid: process.sample.pid });
  return [
    gauge('soak_process_heap_used_bytes', 'V8 heap used, at the last sample.', latest, (process) => process.sample.memory.heapUsed),
    gauge('soak_process_heap_total_bytes', 'V8 heap reserved, at the last sample.', latest, (process) => process.sample.memory.heapTotal),
    gauge('soak_process_heap_limit_bytes', 'V8 heap size limit: what a leak is projected against.', latest, (process) => process.sample.heapLimit),
    gauge('soak_process_post_gc_heap_bytes', 'Heap used right after the last major GC: the floor a leak raises.', latest, (process) => process.postGcHeap),
    gauge('soak_process_external_bytes', 'Off-heap memory held by JavaScript objects (Buffers, ArrayBuffers...), at the last sample.', latest, (process) => process.sample.memory.external),
    gauge('soak_process_array_buffers_bytes', 'ArrayBuffer memory (part of external), at the last sample.', latest, (process) => process.sample.memory.arrayBuffers),
    gauge('soak_process_rss_bytes', 'Resident set size of the process, at the last sample.', latest, (process) => process.sample.memory.rss),
    { name: 'soak_process_cpu_seconds_total', type: 'counter', help: 'CPU time (user and system) used by the process since it was first sampled.', samples: perProcess(latest, (process) => process.cpuSeconds) },
    gauge('soak_event_loop_delay_p50_seconds', 'Event-loop delay, median over the last sample interval.', latest, (process) => process.sample.eventLoop.p50 / 1000),
    gauge('soak_event_loop_delay_p99_seconds', 'Event-loop delay, 99th percentile over the last sample interval.', latest, (process) => process.sample.eventLoop.p99 / 1000),
    gauge('soak_event_loop_delay_max_seconds', 'Event-loop delay, longest over the last sample interval.', latest, (process) => process.sample.eventLoop.max / 1000),
    gauge('soak_event_loop_utilization', 'Event-loop utilisation over the last sample interval, 0 to 1.', latest, (process) => process.sample.eventLoop.utilization),
    {
      name: 'soak_active_handles',
      type: 'gauge',
      help: 'Active handles and requests by type (process.getActiveResourcesInfo), at the last sample.',
      samples: processes.flatMap((process) => Object.entries(process.sample.handles).map(([type, value]) => ({ labels: { ...labelled(process), type }, value }))),
    },
    {
      name: 'soak_gc_collections_total',
      type: 'counter',
      help: 'Garbage collections by kind since the process was first sampled.',
      samples: processes.flatMap((process) => [...process.gc].map(([kind, gc]) => ({ labels: { ...labelled(process), kind }, value: gc.count }))),
    },
    {
      name: 'soak_gc_pause_seconds_total',
      type: 'counter',
      help: 'Time paused in garbage collection by kind since the process was first sampled.',
      samples: processes.flatMap((process) => [...process.gc].map(([kind, gc]) => ({ labels: { ...labelled(process), kind }, value: gc.pauseSeconds }))),
    },
    {
      name: 'soak_pool_connections',
      type: 'gauge',
      help: 'Connections of each pool the probe sees (pg.Pool or registerPool): state="total" or "idle".',
      samples: processes.flatMap((process) =>
        Object.entries(process.sample.pools ?? {}).flatMap(([pool, figures]) => [
          { labels: { ...labelled(process), pool, state: 'total' }, value: figures.total },
          { labels: { ...labelled(process), pool, state: 'idle' }, value: figures.idle },
        ]),
      ),
    },
    {
      name: 'soak_pool_waiting_clients',
      type: 'gauge',
      help: 'Callers waiting for a connection of each pool.',
      samples: processes.flatMap((process) => Object.entries(process.sample.pools ?? {}).map(([pool, figures]) => ({ labels: { ...labelled(process), pool }, value: figures.waiting }))),
    },
    {
      name: 'soak_service_tree_rss_bytes',
      type: 'gauge',
      help: "Resident memory of each service's whole process tree, from the OS (also for services that are not Node).",
      samples: [...latest.trees.values()].map((tree) => ({ labels: { service: tree.service }, value: tree.rss })),
    },
    {
      name: 'soak_service_tree_cpu_ratio',
      type: 'gauge',
      help: "CPU of each service's process tree over the last sample interval, in cores (1 = one core busy).",
      samples: [...latest.trees.values()].map((tree) => ({ labels: { service: tree.service }, value: tree.cpuPercent / 100 })),
    },
    {
      name: 'soak_service_child_processes',
      type: 'gauge',
      help: "Descendant processes of each service's root process.",
      samples: [...latest.trees.values()].map((tree) => ({ labels: { service: tree.service }, value: tree.children })),
    },
    {
      name: 'soak_container_memory_bytes',
      type: 'gauge',
      help: "Memory of each service's container as its engine reports it (docker runtime).",
      samples: [...latest.containers.values()].map((container) => ({ labels: { service: container.service }, value: container.memory })),
    },
  ];
}
