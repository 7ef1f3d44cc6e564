// A run that starts fingerprint workers and ends without stopping them
// (test/unit/pipeline/fingerprint-workers.test.ts): with `prepare`, it first waits for one answer,
// which nothing else in the process waits for. It must print and then exit by itself.
import { FingerprintWorkers } from '../../src/pipeline/fingerprint-workers.js'

const workers = new FingerprintWorkers(1, (error) => console.log(`failed: ${error.message}`))
if (process.argv.includes('prepare')) {
  const [part] = workers.prepare([Buffer.from(JSON.stringify({ text: 'answered before the end' }))])
  const packed = await part
  console.log(`prepared ${packed?.sourceLength[0]}`)
}
console.log('end of the run')
