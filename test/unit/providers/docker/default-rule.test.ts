import { describe, expect, it } from 'vitest'
import { compileDefaultRule, defaultRuleTemplate } from '../../../../providers/docker/default-rule.ts'

const container = { Name: 'web_1.blue', ContainerName: 'stack-web_1', Labels: { app: 'Shop', 'com.example.tier': 'front' } }

describe('docker defaultRule', () => {
  it.each([
    { desc: "Traefik's default normalises the service name", template: defaultRuleTemplate, expected: 'Host(`web-1-blue`)' },
    { desc: 'the container name', template: 'Host(`{{ .ContainerName }}.docker.localhost`)', expected: 'Host(`stack-web_1.docker.localhost`)' },
    { desc: 'a label, through Sprig', template: 'Host(`{{ index .Labels "app" | lower }}.example.com`)', expected: 'Host(`shop.example.com`)' },
    { desc: 'a missing label, with a default', template: 'Host(`{{ index .Labels "nope" | default .Name | normalize }}`)', expected: 'Host(`web-1-blue`)' },
    { desc: 'a conditional', template: '{{ if eq (index .Labels "com.example.tier") "front" }}PathPrefix(`/`){{ else }}Host(`internal`){{ end }}', expected: 'PathPrefix(`/`)' },
  ])('renders $desc', ({ template, expected }) => {
    expect(compileDefaultRule(template)(container)).toBe(expected)
  })

  it('throws at compile time for a template that does not parse, naming the option and the position', () => {
    expect(() => compileDefaultRule('Host(`{{ .Name `)')).toThrow('defaultRule:1:16: unterminated raw quoted string')
  })

  it('throws at render time for a failing template, which the builder reports for that container', () => {
    expect(() => compileDefaultRule('{{ fail "no rule for this container" }}')(container)).toThrow(
      'defaultRule:1:4: executing at <fail "no rule for this container">: error calling fail: no rule for this container',
    )
  })

  it('stops a template that would run away', () => {
    expect(() => compileDefaultRule('{{ range $i := until 100000000 }}x{{ end }}')(container)).toThrow('defaultRule:1:16: evaluation exceeds 100000 steps (maxSteps)')
  })
})
