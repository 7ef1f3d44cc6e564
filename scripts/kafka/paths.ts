// Where the broker harness keeps its files, and the one address it ever binds.
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = fileURLToPath(new URL('.', import.meta.url))
export const REPO_ROOT = resolve(HERE, '..', '..')
/** Cache and state: <repo>/.kafka unless KAFKA_HARNESS_DIR is set. */
export const HARNESS_DIR = process.env.KAFKA_HARNESS_DIR ? resolve(process.env.KAFKA_HARNESS_DIR) : join(REPO_ROOT, '.kafka')
/** The pom that pins the Kafka version; Maven resolves the broker's jars from it. */
export const POM = join(HERE, 'pom.xml')
export const LIBS_DIR = join(HARNESS_DIR, 'libs')
/** The CLI's detached broker: its pid, and where it listens. */
export const PID_FILE = join(HARNESS_DIR, 'broker.pid')
export const STATE_FILE = join(HARNESS_DIR, 'broker.json')
/** Only ever 127.0.0.1: the harness is for tests on this machine. */
export const HOST = '127.0.0.1'

export function javaBin(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java'
}
