import { forwarderSuite } from './forwarder-suite.ts'

forwarderSuite('undici')
