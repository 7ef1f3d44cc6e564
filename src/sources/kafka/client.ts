/**
 * The kafkajs client settings every Kafka adapter shares: brokers, TLS, SASL (the password only from
 * the environment) and kafkajs' own log lines routed into our logger.
 */
import { Kafka, logLevel, type KafkaConfig, type LogEntry, type RetryOptions, type SASLOptions } from 'kafkajs'
import { InfrastructureError } from '../../domain/errors.js'
import type { Logger } from '../../domain/ports.js'

export interface KafkaClientOptions {
  brokers: string[]
  clientId: string
  ssl: boolean
  sasl: { mechanism: 'none' | 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string | null }
  logger: Logger
}

/**
 * Errors kafkajs logs at error level on every rebalance (the heartbeat's and the runner's "the group
 * is rebalancing", a fetch or commit of the generation that just ended): the consumer rejoins by
 * itself and our commits handle an ended generation (source.ts), so they are news, not failures.
 */
const REBALANCE_ERROR_TYPES = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'NOT_COORDINATOR'])

/** The level a kafkajs log line gets in our log. */
export function levelOf(entry: Pick<LogEntry, 'level' | 'log'>): 'error' | 'warn' | 'info' {
  const { type, error, message } = entry.log as { type?: unknown; error?: unknown; message: string }
  if (typeof type === 'string' && REBALANCE_ERROR_TYPES.has(type)) return 'info'
  if (/rebalanc/i.test(message) || (typeof error === 'string' && /rebalanc/i.test(error))) return 'info'
  return entry.level <= logLevel.ERROR ? 'error' : 'warn'
}

/**
 * `logsWanted` is asked for every kafkajs line: its owner turns it off when it stops, since kafkajs
 * keeps logging while it disconnects (a fetch cut short, a heartbeat of a member that left), after
 * the process's final line.
 */
export function createKafkaClient(options: KafkaClientOptions, logsWanted: () => boolean = () => true): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    ssl: options.ssl,
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      if (!logsWanted()) return
      const { message, ...rest } = entry.log
      options.logger.child({ component: 'kafkajs', namespace: entry.namespace })[levelOf(entry)](rest, message)
    },
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
  }
  if (options.sasl.mechanism !== 'none') {
    if (!options.sasl.password) {
      throw new InfrastructureError('kafka.sasl is configured but KAFKA_SASL_PASSWORD is not set', 'kafka', false)
    }
    config.sasl = { mechanism: options.sasl.mechanism, username: options.sasl.username, password: options.sasl.password } as SASLOptions
  }
  return new Kafka(config)
}

/**
 * A consumer's `retry.restartOnFailure`: restarted after a crash only while its owner has not begun
 * to stop. kafkajs schedules a restart after a crash's own disconnect, so a crash that races the
 * owner's `disconnect()` (a join cut short by the stop, say) would otherwise start a new group
 * session after the stop returned: a consumer nobody stops, whose socket and timers keep the process
 * alive.
 */
export function restartUnlessStopping(stopping: () => boolean): () => Promise<boolean> {
  return () => Promise.resolve(!stopping())
}

/** Retry options of a consumer that lives as long as its owner: retried without end, restarted after a crash unless stopping. */
export function ownedConsumerRetry(stopping: () => boolean): RetryOptions {
  return {
    retries: Number.MAX_SAFE_INTEGER,
    initialRetryTime: 300,
    maxRetryTime: 10_000,
    restartOnFailure: restartUnlessStopping(stopping),
  }
}
