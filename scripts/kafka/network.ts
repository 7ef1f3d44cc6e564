// Ports, and whether a broker on one of them is ready for clients.
import net, { type AddressInfo } from 'node:net'
import { Kafka, logLevel } from 'kafkajs'
import { HOST } from './paths.js'

/** A currently free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, HOST, () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

function canConnect(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/**
 * Whether the broker on `port` serves metadata with itself in it and an elected controller: only
 * then do clients' first requests succeed. The TCP probe first keeps kafkajs from logging refusals.
 */
export async function brokerAnswers(port: number): Promise<boolean> {
  if (!(await canConnect(port))) return false
  const kafka = new Kafka({
    clientId: 'kafka-harness-probe',
    brokers: [`${HOST}:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  })
  const admin = kafka.admin({ retry: { retries: 0 } })
  try {
    await admin.connect()
    const cluster = await admin.describeCluster()
    return cluster.brokers.some((b) => b.port === port) && cluster.controller !== null && cluster.controller !== -1
  } catch {
    return false
  } finally {
    await admin.disconnect().catch(() => {})
  }
}
