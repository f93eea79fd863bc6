/**
 * The parse tree. Every node keeps its start offset (`pos`) and end offset
 * (`end`) in the template text, for error messages; the text itself is
 * sliced only when an error is reported, so the tree stays linear in size.
 */

export interface Span {
  readonly pos: number
  readonly end: number
}

export type Node = TextNode | ActionNode | BranchNode | RangeNode | TemplateCallNode | LoopControlNode

export interface TextNode {
  readonly type: 'text'
  readonly text: string
}

/** `{{ pipeline }}`: prints the value, unless it declares or assigns variables. */
export interface ActionNode extends Span {
  readonly type: 'action'
  readonly pipe: Pipeline
}

/**
 * `if` and `with`, with their `else if` / `else with` branches kept flat (Go
 * nests them; a long chain would then nest as deep as it is long).
 */
export interface BranchNode extends Span {
  readonly type: 'if' | 'with'
  readonly branches: ReadonlyArray<{ readonly pipe: Pipeline; readonly list: readonly Node[] }>
  readonly elseList: readonly Node[] | undefined
}

export interface RangeNode extends Span {
  readonly type: 'range'
  readonly pipe: Pipeline
  readonly list: readonly Node[]
  readonly elseList: readonly Node[] | undefined
}

/** `{{ template "name" pipeline }}`, and the call a `block` makes. */
export interface TemplateCallNode extends Span {
  readonly type: 'template'
  readonly name: string
  readonly pipe: Pipeline | undefined
}

export interface LoopControlNode extends Span {
  readonly type: 'break' | 'continue'
}

/** Commands joined by `|`, with the variables it declares (`:=`) or assigns (`=`). */
export interface Pipeline extends Span {
  readonly declarations: readonly string[]
  readonly isAssign: boolean
  readonly commands: readonly Command[]
}

/** One stage of a pipeline: a function and its arguments, or a single operand. */
export interface Command extends Span {
  readonly args: readonly Operand[]
}

export type Operand =
  | (Span & { readonly type: 'field'; readonly names: readonly string[] })
  | (Span & { readonly type: 'variable'; readonly name: string; readonly fields: readonly string[] })
  | (Span & { readonly type: 'chain'; readonly operand: Operand; readonly fields: readonly string[] })
  | (Span & { readonly type: 'identifier'; readonly name: string })
  | (Span & { readonly type: 'pipeline'; readonly pipe: Pipeline })
  | (Span & { readonly type: 'dot' | 'nil' })
  | (Span & { readonly type: 'constant'; readonly value: string | number | boolean })
