import { forwarderSuite } from './forwarder-suite.ts'

forwarderSuite('http-proxy')
