/** Peer: the `http-proxy` package with a keep-alive agent. */
import { Agent } from 'node:http'
import httpProxy from 'http-proxy'
import { peerOptions, servePeer } from './peer-options.ts'

const { port, target } = peerOptions()
const agent = new Agent({ keepAlive: true })
servePeer(port, httpProxy.createProxyServer({ target: target.href, agent }), agent)
