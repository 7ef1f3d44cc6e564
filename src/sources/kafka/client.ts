/**
 * The kafkajs client settings every Kafka adapter shares: brokers, TLS, SASL (the password only from
 * the environment) and kafkajs' own log lines routed into our logger.
 */
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs'
import { InfrastructureError } from '../../domain/errors.js'
import type { Logger } from '../../domain/ports.js'

export interface KafkaClientOptions {
  brokers: string[]
  clientId: string
  ssl: boolean
  sasl: { mechanism: 'none' | 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string | null }
  logger: Logger
}

export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    ssl: options.ssl,
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      const { message, ...rest } = entry.log
      const log = options.logger.child({ component: 'kafkajs', namespace: entry.namespace })
      if (entry.level <= logLevel.ERROR) log.error(rest, message)
      else log.warn(rest, message)
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
