// Progress goes to stderr; stdout carries only the results table.
export function log(line: string): void {
  process.stderr.write(`${line}\n`)
}
