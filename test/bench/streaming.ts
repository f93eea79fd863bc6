/**
 * The streaming scenario: how much memory a proxy needs to stream large
 * uploads and downloads, Junction beside the minimal node:http proxy. A
 * proxy that honours back-pressure holds a few buffers per transfer, not the
 * body, whatever its size.
 */
import type { Backend } from './lib/backend.ts'
import { errorMessage, firstLine, log } from './lib/log.ts'
import { readMemory, resetPeak } from './lib/memory.ts'
import { streamingFigures, type StreamingResult, type StreamingRow } from './lib/report.ts'
import type { BenchSettings } from './lib/settings.ts'
import { fixed } from './lib/table.ts'
import { download, startTransferBackend, upload } from './lib/transfer.ts'
import { junction, nodeHttp, type BenchContext, type Target } from './lib/targets.ts'

/** Rounds measured after the first one; each is one upload and one download. */
export const measuredRounds = 2

/**
 * Starts the transfer backend on the load core, then for each proxy: one
 * upload and one download (Node's first large transfer leaves ~80 MB of
 * garbage-collector slack in any Node proxy), reset the peak, two more
 * rounds, and read the peak.
 */
export async function runStreamingScenario(ctx: BenchContext, s: BenchSettings): Promise<StreamingRow[]> {
  const backend = await startTransferBackend(ctx.daemons, ctx.repoRoot, s.loadCore)
  try {
    const rows: StreamingRow[] = []
    for (const target of [junction, nodeHttp]) rows.push(await streamThrough(ctx, backend, target, s.transferMiB * 1024 * 1024))
    return rows
  } finally {
    await ctx.daemons.stop(backend.daemon)
  }
}

async function streamThrough(ctx: BenchContext, backend: Backend, target: Target, bytes: number): Promise<StreamingRow> {
  const base = { target: target.name, label: target.label }
  const missing = target.missing(ctx)
  if (missing) return { ...base, note: missing }
  let running
  try {
    running = await target.start({ ...ctx, backendPort: backend.port })
  } catch (err) {
    return { ...base, note: `start failed: ${firstLine(err)}` }
  }
  try {
    const pid = running.daemon?.pid
    if (pid === undefined) throw new Error('started without a process')
    await resetPeak(pid)
    const start = await readMemory(pid)
    await round(running.port, bytes)
    const first = await readMemory(pid)
    await resetPeak(pid)
    const before = await readMemory(pid)
    const uploadMs: number[] = []
    const downloadMs: number[] = []
    for (let i = 0; i < measuredRounds; i++) {
      const [up, down] = await round(running.port, bytes)
      uploadMs.push(up)
      downloadMs.push(down)
    }
    const after = await readMemory(pid)
    const result: StreamingResult = {
      transferBytes: bytes,
      startRssKiB: start.rssKiB,
      firstPeakKiB: first.hwmKiB,
      beforeRssKiB: before.rssKiB,
      peakKiB: after.hwmKiB,
      uploadMs,
      downloadMs,
    }
    log(`streaming ${target.label}: peak growth ${fixed(streamingFigures(result).peakGrowthMiB, 1)} MiB`)
    return { ...base, result }
  } catch (err) {
    log(`streaming ${target.label}: ${errorMessage(err)}`)
    return { ...base, note: `run failed: ${firstLine(err)}` }
  } finally {
    if (running.daemon) await ctx.daemons.stop(running.daemon)
  }
}

/** One upload then one download of `bytes`, each checked whole; resolves with their durations in ms. */
async function round(port: number, bytes: number): Promise<[number, number]> {
  let t = performance.now()
  const uploaded = await upload(port, bytes)
  const uploadMs = performance.now() - t
  if (uploaded !== bytes) throw new Error(`upload: the backend read ${uploaded} of ${bytes} bytes`)
  t = performance.now()
  const downloaded = await download(port, bytes)
  const downloadMs = performance.now() - t
  if (downloaded !== bytes) throw new Error(`download: received ${downloaded} of ${bytes} bytes`)
  return [uploadMs, downloadMs]
}
