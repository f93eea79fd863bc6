import { JunctionError } from '../../errors.ts'

/**
 * A template that does not parse, or that failed while rendering: an
 * unknown function, bad syntax, a wrong argument, a limit exceeded. The
 * message reads `name:line:col: reason`, the position being the template's
 * own (line and column from 1, the column counted in characters).
 */
export class TemplateError extends JunctionError {
  /** The name given to {@link compileTemplate} (a file's path, a provider option). */
  readonly templateName: string
  readonly line: number
  readonly column: number
  /** The message without its position. */
  readonly reason: string

  constructor(templateName: string, line: number, column: number, reason: string, options?: { cause?: unknown }) {
    super('JCT_ERR_TEMPLATE', `${templateName}:${line}:${column}: ${reason}`, options)
    this.name = 'TemplateError'
    this.templateName = templateName
    this.line = line
    this.column = column
    this.reason = reason
  }
}

/**
 * A fault found at an offset of the template text, before the line and
 * column are known: the parser and the evaluator throw it, and
 * {@link compileTemplate} turns it into a {@link TemplateError}.
 */
export class TemplateFault extends Error {
  readonly offset: number

  constructor(offset: number, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.offset = offset
  }
}

/** A render limit was reached (steps, bytes, depth): never wrapped as "error calling", whoever hit it. */
export class LimitError extends Error {}

/** A function was given the wrong number or kind of arguments. */
export class ArgumentError extends Error {}
