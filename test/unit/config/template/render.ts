import { compileTemplate, TemplateError, type RenderLimits, type TemplateOptions } from '../../../../src/config/template/index.ts'

/** Renders `text` with `data` (Traefik's file templates get `false`), named `t` for error messages. */
export function render(text: string, data: unknown = false, options: TemplateOptions & RenderLimits = {}): string {
  const { maxOutputBytes, maxSteps, ...compile } = options
  const limits = { ...(maxOutputBytes === undefined ? {} : { maxOutputBytes }), ...(maxSteps === undefined ? {} : { maxSteps }) }
  return compileTemplate(text, { name: 't', ...compile }).render(data, limits)
}

/** The message of the TemplateError that compiling or rendering `text` throws; fails the test when none is thrown. */
export function failure(text: string, data: unknown = false, options: TemplateOptions & RenderLimits = {}): string {
  try {
    render(text, data, options)
  } catch (error) {
    if (error instanceof TemplateError) return error.message
    throw error
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`)
}
