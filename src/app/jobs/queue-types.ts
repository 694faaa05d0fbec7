/** The review queue's contract (src/app/queue, owned by the queue module), re-exported for the app's modules. */
export { abortReason, ReviewAbortedError, type ReviewHandler, type ReviewJob, type ReviewQueue, type ReviewQueueOptions, type DropReason, type NewerJob } from '../queue/index.js';
