/**
 * Peer: Fastify with `@fastify/http-proxy`, which forwards through
 * `@fastify/reply-from` on an undici pool (keep-alive by default).
 */
import fastifyHttpProxy from '@fastify/http-proxy'
import Fastify from 'fastify'
import { peerOptions } from './peer-options.ts'

const { port, target } = peerOptions()
const app = Fastify({ logger: false })
await app.register(fastifyHttpProxy, { upstream: target.origin })
await app.listen({ port, host: '127.0.0.1' })
process.once('SIGTERM', () => void app.close())
