/**
 * Which part of a stream one driver thread sends when several share it: the arrivals, connections
 * and {{seq}} numbers whose index is `index` modulo `count`. The shares of all threads together are
 * exactly what one driver would send.
 */
export interface Share {
  index: number;
  count: number;
}

export const wholeStream: Share = { index: 0, count: 1 };

/** How many of `total` items (numbered 0..total-1) fall to `share`. */
export function shareOf(total: number, share: Share): number {
  return Math.max(0, Math.floor((total - share.index + share.count - 1) / share.count));
}

/**
 * Part `index` of `count` of a share (a worker process's share spread over its threads): items
 * i ≡ outer.index (mod outer.count) split again by i mod count·outer.count, so the parts of all
 * shares still add up to the one stream.
 */
export function splitShare(outer: Share, index: number, count: number): Share {
  return { index: outer.index + outer.count * index, count: outer.count * count };
}
