/** Types of scripts/install-tools.mjs, for the TypeScript tests. */
export type ToolName = 'kubectl' | 'kustomize' | 'docker-compose' | 'promtool' | 'chromium'
export const TOOLS_DIR: string
export const KUSTOMIZE_MODULE: string
export function which(name: string): string | null
export function withInstallLock<T>(fn: () => T | Promise<T>): Promise<T>
export function ensureTool(name: ToolName): Promise<string>
export function kustomizeCommand(): Promise<[string, 'kustomize' | 'build']>
