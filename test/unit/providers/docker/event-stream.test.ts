import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { changedContainer, parseEventStream, type DockerEvent } from '../../../../providers/docker/event-stream.ts'

describe('docker events: which container changed', () => {
  it.each([
    { desc: 'start', event: { Type: 'container', Action: 'start', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'die', event: { Type: 'container', Action: 'die', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'stop', event: { Type: 'container', Action: 'stop', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'kill', event: { Type: 'container', Action: 'kill', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'destroy', event: { Type: 'container', Action: 'destroy', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'create', event: { Type: 'container', Action: 'create', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'restart', event: { Type: 'container', Action: 'restart', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'pause', event: { Type: 'container', Action: 'pause', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'unpause', event: { Type: 'container', Action: 'unpause', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'rename', event: { Type: 'container', Action: 'rename', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'update', event: { Type: 'container', Action: 'update', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'oom', event: { Type: 'container', Action: 'oom', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'health_status: healthy', event: { Type: 'container', Action: 'health_status: healthy', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'health_status: unhealthy', event: { Type: 'container', Action: 'health_status: unhealthy', Actor: { ID: 'c1' } }, expected: 'c1' },
    { desc: 'an old daemon without Type, ID in id', event: { Action: 'start', id: 'c1' }, expected: 'c1' },
    { desc: 'exec_start is noise', event: { Type: 'container', Action: 'exec_start: sh -c true', Actor: { ID: 'c1' } }, expected: undefined },
    { desc: 'exec_die is noise', event: { Type: 'container', Action: 'exec_die', Actor: { ID: 'c1' } }, expected: undefined },
    { desc: 'attach is noise', event: { Type: 'container', Action: 'attach', Actor: { ID: 'c1' } }, expected: undefined },
    { desc: 'a container joining a network', event: { Type: 'network', Action: 'connect', Actor: { ID: 'n1', Attributes: { container: 'c1' } } }, expected: 'c1' },
    { desc: 'a container leaving a network', event: { Type: 'network', Action: 'disconnect', Actor: { ID: 'n1', Attributes: { container: 'c1' } } }, expected: 'c1' },
    { desc: 'a network created', event: { Type: 'network', Action: 'create', Actor: { ID: 'n1', Attributes: { name: 'web' } } }, expected: undefined },
    { desc: 'an image event', event: { Type: 'image', Action: 'pull', Actor: { ID: 'busybox' } }, expected: undefined },
  ] satisfies Array<{ desc: string; event: DockerEvent; expected: string | undefined }>)('$desc', ({ event, expected }) => {
    expect(changedContainer(event)).toBe(expected)
  })
})

async function collect(stream: Readable): Promise<DockerEvent[]> {
  const events: DockerEvent[] = []
  for await (const event of parseEventStream(stream, 'unix:///run/docker.sock')) events.push(event)
  return events
}

describe('docker events: the stream', () => {
  it('reads lines split across chunks, several lines per chunk, and a last line without a newline', async () => {
    const chunks = ['{"Action":"st', 'art","id":"a"}\n{"Action":"die","id":"a"}\n\n{"Action":', '"destroy","id":"a"}'].map((text) => Buffer.from(text))
    expect(await collect(Readable.from(chunks))).toEqual([
      { Action: 'start', id: 'a' },
      { Action: 'die', id: 'a' },
      { Action: 'destroy', id: 'a' },
    ])
  })

  it('keeps a multi-byte character split across chunks whole', async () => {
    const bytes = Buffer.from('{"Action":"rename","id":"é"}\n')
    const split = bytes.indexOf(0xc3) + 1
    expect(await collect(Readable.from([bytes.subarray(0, split), bytes.subarray(split)]))).toEqual([{ Action: 'rename', id: 'é' }])
  })

  it('throws for a line that is not JSON, naming the endpoint', async () => {
    await expect(collect(Readable.from([Buffer.from('{"Action":"start"}\nnot json\n')]))).rejects.toThrow(
      new Error('reading events from unix:///run/docker.sock: not a JSON event: not json'),
    )
  })

  it('throws when the connection breaks, naming the endpoint and the cause', async () => {
    const stream = new Readable({ read() {} })
    stream.push('{"Action":"start","id":"a"}\n')
    const events: DockerEvent[] = []
    const reading = (async () => {
      for await (const event of parseEventStream(stream, 'tcp://127.0.0.1:2375')) {
        events.push(event)
        stream.destroy(new Error('socket hang up'))
      }
    })()
    await expect(reading).rejects.toThrow(new Error('reading events from tcp://127.0.0.1:2375: socket hang up'))
    expect(events).toEqual([{ Action: 'start', id: 'a' }])
  })
})
