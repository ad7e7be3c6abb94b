import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/**
 * The value imports between the files of `src/` (tests excluded), read from the import and
 * export lines. `import type` and `export type` are left out: a type disappears when Node strips
 * the types, so it cannot form a cycle at run time nor make a lower layer depend on a higher one.
 * Dynamic `import()` is left out too (it loads later, on demand).
 */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of sourceFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8')
    const targets: string[] = []
    const statement = /^[ \t]*(?:import|export)\s+(type\s+)?([^;'"]*?\bfrom\s+)?['"](\.[^'"]+)['"]/gm
    for (const match of text.matchAll(statement)) {
      if (match[1] !== undefined) continue
      const names = match[2] ?? ''
      // `import { type A, type B } from` imports nothing at run time either.
      const braces = /^\s*\{([^}]*)\}\s*from\s+$/.exec(names)
      if (braces?.[1]?.split(',').every((n) => /^\s*(type\s+\S.*)?$/.test(n))) continue
      targets.push(relative(root, resolve(dirname(join(root, file)), match[3] as string)))
    }
    graph.set(file, targets)
  }
  return graph
}

function sourceFiles(root: string, dir = ''): string[] {
  const files: string[] = []
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...sourceFiles(root, path))
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) files.push(path)
  }
  return files.sort()
}

/** Every cycle's files (strongly connected components of more than one file, or a file importing itself). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (file: string): void => {
    index.set(file, next)
    low.set(file, next)
    next++
    stack.push(file)
    onStack.add(file)
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue
      if (!index.has(target)) {
        visit(target)
        low.set(file, Math.min(low.get(file) as number, low.get(target) as number))
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) as number, index.get(target) as number))
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop() as string
        onStack.delete(member)
        component.push(member)
      } while (member !== file)
      if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component.sort())
    }
  }
  for (const file of graph.keys()) if (!index.has(file)) visit(file)
  return found
}

/**
 * The layers, lowest first. Calls go one way: a file may import its own layer or a lower one.
 * Files of no layer (schemas, mappings, the search compiler's parts) are held by the cycle rule.
 */
export const layers = [
  {
    name: 'db/shared',
    test: (f: string) => f.startsWith('db/') || f.startsWith('shared/') || f === 'config.ts',
  },
  { name: 'repository', test: (f: string) => f.endsWith('.repository.ts') },
  { name: 'service', test: (f: string) => f.endsWith('.service.ts') },
  {
    name: 'routes/http',
    // http/envelope.ts is the schema atoms (plain TypeBox) the wire schemas are built of: no layer, like them.
    test: (f: string) =>
      (f.startsWith('http/') && f !== 'http/envelope.ts') ||
      f.endsWith('.routes.ts') ||
      f.endsWith('.hooks.ts'),
  },
  {
    name: 'entry',
    test: (f: string) =>
      ['app.ts', 'main.ts', 'cli.ts'].includes(f) || f.startsWith('cli/') || f.endsWith('.cli.ts'),
  },
] as const

export function layerOf(file: string): number | undefined {
  const found = layers.findIndex((layer) => layer.test(file))
  return found === -1 ? undefined : found
}

/**
 * `from -> to` for every import that goes up: from a file of a layer into a file of a higher one,
 * directly or through files of no layer (a repository importing a mapping that imports a service
 * goes up as surely as one importing the service). db/ and shared/ stand alone: they reach
 * nothing outside themselves.
 */
export function upwardImports(graph: Map<string, string[]>): string[] {
  const found: string[] = []
  for (const [file, direct] of graph) {
    const from = layerOf(file)
    if (from === undefined) continue
    const seen = new Set<string>()
    const walk = (targets: string[], via: string): void => {
      for (const target of targets) {
        if (seen.has(target)) continue
        seen.add(target)
        const to = layerOf(target)
        const path = `${file} -> ${via}${target}`
        if (from === 0 && to !== 0) found.push(path)
        else if (to !== undefined && to > from) found.push(path)
        if (to === undefined && from !== 0) walk(graph.get(target) ?? [], `${via}${target} -> `)
      }
    }
    walk(direct, '')
  }
  return found
}
