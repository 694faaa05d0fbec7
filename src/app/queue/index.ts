/**
 * The review queue: webhooks are acknowledged at once and reviews run from here with bounded concurrency.
 * Without a Redis URL, an in-process queue (no extra service); with one, a durable BullMQ queue shared by replicas.
 */
import { createMemoryQueue } from './memory.js';
import { createRedisQueue } from './redis.js';
import type { ReviewQueue, ReviewQueueOptions } from './types.js';

export {
  ReviewAbortedError,
  abortReason,
  type DropReason,
  type NewerJob,
  type QueueLog,
  type ReviewHandler,
  type ReviewJob,
  type ReviewQueue,
  type ReviewQueueOptions,
} from './types.js';

export function createReviewQueue(options: ReviewQueueOptions): ReviewQueue {
  const redisUrl = options.redisUrl?.trim();
  return redisUrl ? createRedisQueue({ ...options, redisUrl }) : createMemoryQueue(options);
}
