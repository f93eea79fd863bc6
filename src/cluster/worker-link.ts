import { MessageChannel, Worker } from 'node:worker_threads'
import type { MiddlewareEntry } from '../core/middleware.ts'
import type { DataPlane } from '../engine/data-plane.ts'
import type { FromWorker, ToWorker, WorkerStart } from './protocol.ts'
import type { InlineExtras } from './worker.ts'

/** How a worker ended: its exit code, and the error that killed it, if one did. */
export interface WorkerExit {
  readonly code: number
  readonly error: Error | undefined
}

/** The control plane's handle on one worker, whether it runs in a thread of its own or in this one. */
export interface WorkerLink {
  /** The worker's thread id (0: this thread). */
  readonly threadId: number
  post(message: ToWorker): void
  onMessage(listener: (message: FromWorker) => void): void
  /** Settles once the worker is gone, however it ended. */
  readonly exited: Promise<WorkerExit>
  /** Ends the worker now, whatever it is doing. */
  terminate(): void
  /** An in-thread worker's data plane, once it runs (tests read its table); absent for a thread. */
  readonly plane?: Promise<DataPlane>
}

/** The script each worker thread runs: plain JavaScript, so an installed Junction can strip its types first. */
const threadScript = new URL('./worker-thread.js', import.meta.url)

/** Starts a worker in a thread of its own. */
export function threadWorker(start: WorkerStart): WorkerLink {
  const worker = new Worker(threadScript, { workerData: start, stdout: false, stderr: false })
  let error: Error | undefined
  worker.on('error', (cause: Error) => (error = cause))
  const exited = new Promise<WorkerExit>((resolve) => worker.once('exit', (code) => resolve({ code, error })))
  return {
    threadId: worker.threadId,
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    exited,
    terminate: () => void worker.terminate(),
  }
}

/**
 * Starts a worker in this thread, talking through a `MessageChannel` as a
 * thread would: what embedders and tests use when they hand Junction
 * functions (middlewares, an exchange observer), which cannot cross threads.
 */
export function inlineWorker(start: WorkerStart, shipped: readonly MiddlewareEntry[], extras: InlineExtras): WorkerLink {
  const { port1, port2 } = new MessageChannel()
  let finish: (exit: WorkerExit) => void = () => undefined
  const exited = new Promise<WorkerExit>((resolve) => (finish = resolve))
  const close = (exit: WorkerExit): void => {
    port1.close()
    port2.close()
    finish(exit)
  }
  port1.on('message', (message: FromWorker) => {
    if (message.type === 'drained' || message.type === 'fatal') setImmediate(() => close({ code: 0, error: undefined }))
  })
  // Loaded on demand: the control plane of worker threads never loads the data plane's modules.
  const plane = import('./worker.ts').then(({ runWorker, workerPort }) => runWorker(workerPort(port2), start, shipped, extras))
  plane.catch((error: unknown) => close({ code: 1, error: error as Error }))
  return {
    threadId: 0,
    post: (message) => port1.postMessage(message),
    onMessage: (listener) => port1.on('message', listener),
    exited,
    terminate: () => close({ code: 1, error: undefined }),
    plane,
  }
}
