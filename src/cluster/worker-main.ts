/**
 * A worker thread's program: the shipped middlewares, plus the modules the
 * control plane named, on the data plane, talking to the control plane
 * through `parentPort`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { middlewares } from '../../middlewares/index.ts'
import type { WorkerStart } from './protocol.ts'
import { runWorker, workerPort } from './worker.ts'

if (parentPort === null) throw new Error('worker-main.ts runs in a worker thread')
await runWorker(workerPort(parentPort), workerData as WorkerStart, middlewares)
