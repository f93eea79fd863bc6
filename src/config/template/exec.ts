import type { BranchNode, Command, Node, Operand, Pipeline, RangeNode, Span, TemplateCallNode } from './ast.ts'
import { andFunction, orFunction } from './builtins.ts'
import { charge } from './budget.ts'
import { formatArg, plainV } from './fmt-value.ts'
import type { ParsedTemplate } from './parser.ts'
import { signatureOf, type TemplateFunction } from './signature.ts'
import type { Sink } from './sink.ts'
import { ArgumentError, LimitError, TemplateFault } from './template-error.ts'
import { Variables } from './variables.ts'
import { isTrue, kindOf, mapGet, sortedEntries, structMember, typeName } from './values.ts'

/**
 * Control structures, parenthesised pipelines and template calls nest at
 * most this deep while rendering; a template calling itself stops here
 * rather than at the end of the stack.
 */
export const maxExecDepth = 300

/** What a render needs besides the data: the parsed trees, the functions, the text (for error snippets). */
export interface Program {
  readonly parsed: ParsedTemplate
  readonly functions: Readonly<Record<string, TemplateFunction>>
  readonly text: string
}

/** No value piped in: the command's own arguments are all it gets. */
const missing = Symbol('missing')
type Final = unknown

type Signal = 'break' | 'continue' | undefined

/**
 * Renders `program` with `data` as `.` and `$`, into `out`, the way Go's
 * `text/template` executes: Go's truth, `range` over lists, maps (keys
 * sorted) and integers, the value piped in as the last argument, `and` and
 * `or` short-circuiting, a missing map key as no value (`<no value>`).
 * Throws a {@link TemplateFault} at the node that failed.
 */
export function execute(program: Program, data: unknown, out: Sink): void {
  new Execution(program, out).run(data)
}

class Execution {
  readonly #program: Program
  readonly #out: Sink
  #vars = new Variables()
  #depth = 0
  #at: Span = { pos: 0, end: 0 }

  constructor(program: Program, out: Sink) {
    this.#program = program
    this.#out = out
  }

  run(data: unknown): void {
    this.#vars.push('$', data)
    try {
      this.#walkList(data, this.#program.parsed.root)
    } catch (error) {
      // A limit is reached wherever the work happens to be: report the node being executed.
      if (error instanceof LimitError) throw new TemplateFault(this.#at.pos, error.message)
      throw error
    }
  }

  #fail(span: Span, message: string, cause?: unknown): never {
    throw new TemplateFault(span.pos, `executing at <${this.#snippet(span)}>: ${message}`, cause === undefined ? undefined : { cause })
  }

  #snippet(span: Span): string {
    const text = this.#program.text.slice(span.pos, Math.min(span.end, span.pos + 61)).replace(/\s+/g, ' ')
    return span.end - span.pos > 60 ? `${text.slice(0, 60)}...` : text
  }

  #enter(span: Span): void {
    if (++this.#depth > maxExecDepth) this.#fail(span, `exceeded the maximum template depth (${maxExecDepth})`)
  }

  #walkList(dot: unknown, list: readonly Node[]): Signal {
    for (const node of list) {
      const signal = this.#walk(dot, node)
      if (signal !== undefined) return signal
    }
    return undefined
  }

  #walk(dot: unknown, node: Node): Signal {
    charge(1)
    switch (node.type) {
      case 'text':
        this.#out.write(node.text)
        return undefined
      case 'action': {
        this.#at = node
        const value = this.#evalPipeline(dot, node.pipe)
        if (node.pipe.declarations.length === 0) this.#print(node, value)
        return undefined
      }
      case 'if':
      case 'with':
        return this.#walkBranch(dot, node)
      case 'range':
        this.#walkRange(dot, node)
        return undefined
      case 'template':
        this.#walkTemplate(dot, node)
        return undefined
      case 'break':
      case 'continue':
        return node.type
    }
  }

  #print(node: Span, value: unknown): void {
    if (value === undefined) return this.#out.write('<no value>')
    if (typeof value === 'function') this.#fail(node, "can't print a value of type func")
    formatArg(this.#out, value, plainV)
  }

  #walkBranch(dot: unknown, node: BranchNode): Signal {
    const mark = this.#vars.mark()
    this.#enter(node)
    try {
      for (const branch of node.branches) {
        const value = this.#evalPipeline(dot, branch.pipe)
        if (isTrue(value)) return this.#walkList(node.type === 'with' ? value : dot, branch.list)
      }
      return node.elseList === undefined ? undefined : this.#walkList(dot, node.elseList)
    } finally {
      this.#depth--
      this.#vars.reset(mark)
    }
  }

  #walkRange(dot: unknown, node: RangeNode): void {
    const mark = this.#vars.mark()
    this.#enter(node)
    try {
      const value = this.#evalPipeline(dot, node.pipe)
      const items = this.#iterationsOf(node, value)
      if (items === undefined || items.count === 0) {
        if (node.elseList !== undefined) this.#walkList(dot, node.elseList)
        return
      }
      // The variables were declared (or, with `=`, assigned) by the pipeline; each iteration sets them.
      const { declarations } = node.pipe
      for (let i = 0; i < items.count; i++) {
        charge(1)
        const [index, element] = items.at(i)
        if (declarations.length === 1) this.#vars.set(declarations[0] ?? '$', element)
        if (declarations.length === 2) {
          this.#vars.set(declarations[0] ?? '$', index)
          this.#vars.set(declarations[1] ?? '$', element)
        }
        const inner = this.#vars.mark()
        const signal = this.#walkList(element, node.list)
        this.#vars.reset(inner)
        if (signal === 'break') break
      }
    } finally {
      this.#depth--
      this.#vars.reset(mark)
    }
  }

  /** What `range` walks over, or undefined for nothing (nil, no value). */
  #iterationsOf(node: RangeNode, value: unknown): { count: number; at: (i: number) => [unknown, unknown] } | undefined {
    switch (kindOf(value)) {
      case 'invalid':
      case 'nil':
        return undefined
      case 'list': {
        const list = value as readonly unknown[]
        return { count: list.length, at: (i) => [i, list[i]] }
      }
      case 'map': {
        const entries = sortedEntries(value as Record<string, unknown>)
        charge(entries.length)
        return { count: entries.length, at: (i) => entries[i] ?? [undefined, undefined] }
      }
      case 'int': {
        if (node.pipe.declarations.length > 1) this.#fail(node.pipe, `can't use ${String(value)} to iterate over more than one variable`)
        return { count: Math.max(0, Number(value)), at: (i) => [i, i] }
      }
      default:
        return this.#fail(node.pipe, `range can't iterate over ${typeName(value)} value`)
    }
  }

  #walkTemplate(dot: unknown, node: TemplateCallNode): void {
    const tree = this.#program.parsed.templates.get(node.name)
    if (tree === undefined) this.#fail(node, `no such template "${node.name}"`)
    const value = node.pipe === undefined ? undefined : this.#evalPipeline(dot, node.pipe)
    this.#enter(node)
    const outer = this.#vars
    this.#vars = new Variables()
    this.#vars.push('$', value)
    try {
      this.#walkList(value, tree)
    } finally {
      this.#vars = outer
      this.#depth--
    }
  }

  #evalPipeline(dot: unknown, pipe: Pipeline): unknown {
    let value: unknown = missing
    for (const command of pipe.commands) {
      value = this.#evalCommand(dot, command, value)
      // A nil from a map or a function is Go's nil interface, which it turns into no value.
      if (value === null) value = undefined
    }
    for (const name of pipe.declarations) {
      if (!pipe.isAssign) this.#vars.push(name, value)
      else if (!this.#vars.set(name, value)) this.#fail(pipe, `undefined variable: ${name}`)
    }
    return value
  }

  #evalCommand(dot: unknown, command: Command, final: Final): unknown {
    charge(1)
    this.#at = command
    const [first] = command.args
    if (first === undefined) return undefined
    switch (first.type) {
      case 'field':
        return this.#evalFieldChain(dot, dot, first, first.names, command.args, final)
      case 'chain':
        return this.#evalFieldChain(dot, this.#evalArg(dot, first.operand), first, first.fields, command.args, final)
      case 'identifier':
        return this.#evalCall(dot, this.#function(first.name), first.name, command, command.args, final)
      case 'variable': {
        const value = this.#variable(first)
        if (first.fields.length > 0) return this.#evalFieldChain(dot, value, first, first.fields, command.args, final)
        break
      }
    }
    if (command.args.length > 1 || final !== missing) this.#fail(first, `can't give argument to non-function ${this.#snippet(first)}`)
    return this.#evalArg(dot, first)
  }

  #function(name: string): TemplateFunction {
    const fn = Object.hasOwn(this.#program.functions, name) ? this.#program.functions[name] : undefined
    if (fn === undefined) throw new TemplateFault(this.#at.pos, `function "${name}" not defined`)
    return fn
  }

  #variable(node: Operand & { type: 'variable' }): unknown {
    const { found, value } = this.#vars.get(node.name)
    if (!found) this.#fail(node, `undefined variable: ${node.name}`)
    return value
  }

  /** An operand's value as an argument (no arguments of its own). */
  #evalArg(dot: unknown, node: Operand): unknown {
    switch (node.type) {
      case 'dot':
        return dot
      case 'nil':
        return null
      case 'constant':
        return node.value
      case 'field':
        return this.#evalFieldChain(dot, dot, node, node.names, [node], missing)
      case 'variable': {
        const value = this.#variable(node)
        return node.fields.length === 0 ? value : this.#evalFieldChain(dot, value, node, node.fields, [node], missing)
      }
      case 'chain':
        if (node.operand.type === 'nil') this.#fail(node, 'indirection through explicit nil')
        return this.#evalFieldChain(dot, this.#evalArg(dot, node.operand), node, node.fields, [node], missing)
      case 'identifier':
        return this.#evalCall(dot, this.#function(node.name), node.name, node, [node], missing)
      case 'pipeline': {
        this.#enter(node)
        try {
          return this.#evalPipeline(dot, node.pipe)
        } finally {
          this.#depth--
        }
      }
    }
  }

  #evalFieldChain(dot: unknown, receiver: unknown, node: Span, names: readonly string[], args: readonly Operand[], final: Final): unknown {
    let value = receiver
    names.forEach((name, index) => {
      const last = index === names.length - 1
      value = this.#evalField(dot, name, node, last ? args : [], last ? final : missing, value)
    })
    return value
  }

  #evalField(dot: unknown, name: string, node: Span, args: readonly Operand[], final: Final, receiver: unknown): unknown {
    const hasArgs = args.length > 1 || final !== missing
    switch (kindOf(receiver)) {
      case 'invalid':
        return undefined
      case 'nil':
        return this.#fail(node, `nil pointer evaluating interface {}.${name}`)
      case 'map':
        if (hasArgs) this.#fail(node, `${name} is not a method but has arguments`)
        return mapGet(receiver as Record<string, unknown>, name)
      case 'struct': {
        const member = structMember(receiver as object, name)
        if (!member.found) break
        if (typeof member.value === 'function') {
          const method = (member.value as TemplateFunction).bind(receiver)
          return this.#evalCall(dot, method, name, node, args, final)
        }
        if (hasArgs) this.#fail(node, `${name} has arguments but cannot be invoked as function`)
        return member.value
      }
    }
    return this.#fail(node, `can't evaluate field ${name} in type ${typeName(receiver)}`)
  }

  /** Calls `fn` with the arguments after `args[0]` (its own node), then the piped value. */
  #evalCall(dot: unknown, fn: TemplateFunction, name: string, node: Span, args: readonly Operand[], final: Final): unknown {
    const nodes = args.slice(1)
    const count = nodes.length + (final === missing ? 0 : 1)
    const signature = signatureOf(fn)
    if (signature !== undefined) {
      const fixed = signature.params.length
      if (signature.variadic === undefined ? count !== fixed : count < fixed) {
        this.#fail(node, `wrong number of args for ${name}: want ${signature.variadic === undefined ? '' : 'at least '}${fixed} got ${count}`)
      }
    }
    if (fn === andFunction || fn === orFunction) return this.#shortCircuit(dot, fn === orFunction, nodes, final)
    const values = nodes.map((arg) => this.#evalArg(dot, arg))
    if (final !== missing) values.push(final)
    try {
      return fn(...values.map((value) => (value === undefined ? null : value)))
    } catch (error) {
      if (error instanceof LimitError) {
        // Reported at the call that spent the last of the budget, not at the last command evaluated.
        this.#at = node
        throw error
      }
      const message = error instanceof Error ? error.message : String(error)
      return this.#fail(node, error instanceof ArgumentError ? message : `error calling ${name}: ${message}`, error)
    }
  }

  /** `and` stops at the first false argument, `or` at the first true one; the piped value comes last. */
  #shortCircuit(dot: unknown, isOr: boolean, nodes: readonly Operand[], final: Final): unknown {
    let value: unknown
    for (const node of nodes) {
      value = this.#evalArg(dot, node)
      if (isTrue(value) === isOr) return value
    }
    return final === missing ? value : final
  }
}
