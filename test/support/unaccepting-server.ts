import { connect, type Socket } from 'node:net'
import { Worker } from 'node:worker_threads'

export interface UnacceptingServer {
  /** `http://127.0.0.1:<port>`: a connection to it is never established. */
  readonly url: string
  close(): Promise<void>
}

/**
 * The listener runs in a worker thread that blocks in `Atomics.wait` right
 * after binding, so nothing ever calls accept() on it: the kernel alone
 * completes handshakes, into the accept queue, until the queue is full.
 */
const listener = `
const { parentPort, workerData } = require('node:worker_threads')
const { createServer } = require('node:net')
const server = createServer()
server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
  parentPort.postMessage(server.address().port)
  Atomics.wait(new Int32Array(workerData), 0, 0)
  server.close()
})
`

/**
 * A server on 127.0.0.1 that never completes a TCP handshake: a listening
 * socket whose accept queue is full. On Linux a queue of backlog 1 holds two
 * connections; they are made here and left there, and the kernel drops the
 * SYN of every later connection (the client retransmits it, so `connect`
 * neither succeeds nor fails until the client's own dial timeout). No
 * address outside the loopback network is needed to provoke a dial timeout.
 */
export async function startUnacceptingServer(): Promise<UnacceptingServer> {
  const release = new Int32Array(new SharedArrayBuffer(4))
  const worker = new Worker(listener, { eval: true, workerData: release.buffer })
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (value: number) => resolve(value))
    worker.once('error', reject)
  })
  const fillers: Socket[] = []
  for (let i = 0; i < 2; i++) {
    const socket = connect(port, '127.0.0.1')
    fillers.push(socket)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    // Nothing is ever written on them; only close() ends them.
    socket.on('error', () => undefined)
  }
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of fillers) socket.destroy()
      Atomics.store(release, 0, 1)
      Atomics.notify(release, 0)
      await exited
    },
  }
}
