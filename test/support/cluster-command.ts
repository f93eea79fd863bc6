/**
 * The `junction` command with the test probe in every worker
 * (`cluster-probe.ts`), and a control line on standard input: each JSON
 * line asks the control plane for something (publish a value, mark a
 * server) and is answered with a JSON log line `{ "reply": id }` once done.
 * Everything else is the real command: configuration, workers, signals.
 */
import { createInterface } from 'node:readline'
import { runCommand } from '../../src/run.ts'

type Request =
  | { id: number; op: 'setValue'; key: string; value?: string }
  | { id: number; op: 'markServer'; service: string; server: string; up: boolean }
  | { id: number; op: 'workers' }

await runCommand(process.argv.slice(2), {
  workerModules: [new URL('./cluster-probe.ts', import.meta.url).href],
  onStarted: (junction, logger) => {
    createInterface({ input: process.stdin }).on('line', (line) => {
      const request = JSON.parse(line) as Request
      const reply = (fields: Record<string, unknown> = {}): void => logger.info({ reply: request.id, ...fields }, 'control reply')
      switch (request.op) {
        case 'setValue':
          void junction.setValue(request.key, request.value).then(() => reply())
          return
        case 'markServer':
          void junction.markServer(request.service, request.server, request.up).then(() => reply())
          return
        case 'workers':
          reply({ workers: junction.workers })
          return
      }
    })
  },
})
