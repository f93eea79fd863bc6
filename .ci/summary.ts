// Turns vitest's JSON report into the one closing line CI reads.
import { readFileSync } from 'node:fs'

const path = process.argv[2]
if (path === undefined) throw new Error('usage: summary.ts <vitest-json-report>')
const report = JSON.parse(readFileSync(path, 'utf8')) as {
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
  numTodoTests: number
  testResults: Array<{ status: string; assertionResults: unknown[] }>
}
// A test file that fails to load runs no test; count it as one failure so it cannot hide.
const brokenFiles = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length
const failed = report.numFailedTests + brokenFiles
console.log(`${report.numPassedTests} passed, ${failed} failed, ${report.numPendingTests + report.numTodoTests} skipped`)
