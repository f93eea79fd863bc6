/** Peer: plain `http-proxy-3` (its default pass pipeline) with a keep-alive agent. */
import { Agent } from 'node:http'
import { createProxyServer } from 'http-proxy-3'
import { peerOptions, servePeer } from './peer-options.ts'

const { port, target } = peerOptions()
const agent = new Agent({ keepAlive: true })
servePeer(port, createProxyServer({ target: target.href, agent }), agent)
