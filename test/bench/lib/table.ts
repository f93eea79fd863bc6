/** One column of a markdown table. */
export interface Column {
  readonly header: string
  /** Numbers read best right-aligned. */
  readonly align?: 'left' | 'right'
}

/**
 * Renders a GitHub-flavoured markdown table, padded so it also reads as plain
 * text on a terminal. Pipes inside cells are escaped.
 */
export function markdownTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const cells = rows.map((row) => columns.map((_, i) => (row[i] ?? '').replaceAll('|', '\\|')))
  const widths = columns.map((c, i) => Math.max(3, c.header.length, ...cells.map((r) => r[i]?.length ?? 0)))
  const pad = (text: string, i: number): string => {
    const width = widths[i] ?? 0
    return columns[i]?.align === 'right' ? text.padStart(width) : text.padEnd(width)
  }
  const line = (texts: readonly string[]): string => `| ${texts.map(pad).join(' | ')} |`
  const rule = columns.map((c, i) => {
    const dashes = '-'.repeat(widths[i] ?? 3)
    return c.align === 'right' ? `${dashes.slice(1)}:` : dashes
  })
  return [line(columns.map((c) => c.header)), `| ${rule.join(' | ')} |`, ...cells.map(line)].join('\n')
}

/** Formats with a fixed number of decimals; undefined and non-finite print as a dash. */
export function fixed(value: number | undefined, decimals: number): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(decimals)
}

/** Formats an integer with thousands separators (`12,345`). */
export function grouped(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—'
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}
