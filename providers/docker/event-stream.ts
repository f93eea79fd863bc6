/**
 * Docker's event stream (`GET /events`): one JSON object per line, for as
 * long as the connection lasts. The provider subscribes to container and
 * network events and asks of each one question: which container may it have
 * changed, if any?
 */

/** The fields of a Docker event the provider reads. */
export interface DockerEvent {
  readonly Type?: string
  readonly Action?: string
  readonly Actor?: { readonly ID?: string; readonly Attributes?: Readonly<Record<string, string>> }
  /** Older daemons' spelling of `Actor.ID`. */
  readonly id?: string
}

/**
 * Container actions after which a container may route differently. Traefik
 * re-lists on `start`, `die` and `health_status` only; the others change
 * what the builder sees too (a paused container is not running, a rename
 * changes its default rule, a destroyed one or one created with
 * `allownonrunning` changes the list), so Junction listens to them as well.
 */
const containerActions = new Set(['create', 'start', 'restart', 'die', 'stop', 'kill', 'destroy', 'pause', 'unpause', 'rename', 'update', 'oom'])
/** A container joining or leaving a network changes its addresses. */
const networkActions = new Set(['connect', 'disconnect'])

/**
 * The container an event may have changed, or undefined for an event that
 * changes nothing the builder reads (`exec_start`, `attach`, `top`...).
 * `health_status: healthy` carries its verdict after a colon.
 *
 * @example
 * changedContainer({ Type: 'container', Action: 'health_status: healthy', Actor: { ID: 'abc' } }) // 'abc'
 */
export function changedContainer(event: DockerEvent): string | undefined {
  const action = event.Action ?? ''
  if (event.Type === 'network') return networkActions.has(action) ? event.Actor?.Attributes?.['container'] : undefined
  if (event.Type !== undefined && event.Type !== 'container') return undefined
  const verb = action.split(':', 1)[0]?.trim() ?? ''
  if (!containerActions.has(verb) && verb !== 'health_status') return undefined
  return event.Actor?.ID ?? event.id
}

/**
 * The events of a response body, one per line. A chunk may end mid-line, and
 * one chunk may carry several lines. Ends when the daemon closes the stream;
 * throws when the connection breaks or a line is not JSON.
 *
 * @example
 * for await (const event of parseEventStream(response, 'unix:///var/run/docker.sock')) handle(event)
 */
export async function* parseEventStream(stream: AsyncIterable<unknown>, endpoint: string): AsyncGenerator<DockerEvent> {
  const decoder = new TextDecoder()
  let pending = ''
  try {
    for await (const chunk of stream) {
      pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true })
      let newline: number
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline).trim()
        pending = pending.slice(newline + 1)
        if (line !== '') yield parseLine(line)
      }
    }
    const rest = pending.trim()
    if (rest !== '') yield parseLine(rest)
  } catch (error) {
    throw new Error(`reading events from ${endpoint}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
}

function parseLine(line: string): DockerEvent {
  try {
    return JSON.parse(line) as DockerEvent
  } catch {
    throw new Error(`not a JSON event: ${line.slice(0, 200)}`)
  }
}
