// The broker's configuration files: a single KRaft node that is broker and controller at once, sized
// for a 2-core test machine, and a log4j2 file that sends its log to one file.
import { HOST } from './paths.js'

export type BrokerLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'OFF'

export interface ServerConfig {
  port: number
  controllerPort: number
  logDirs: string
  /** Entries added to, or overriding, the defaults below. */
  extra: Record<string, string>
}

export function serverProperties({ port, controllerPort, logDirs, extra }: ServerConfig): string {
  const listeners = `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.bootstrap.servers': `${HOST}:${controllerPort}`,
    listeners,
    'advertised.listeners': listeners,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': logDirs,
    'num.partitions': '6',
    'default.replication.factor': '1',
    'min.insync.replicas': '1',
    'auto.create.topics.enable': 'false',
    'offsets.topic.replication.factor': '1',
    // 50 by default; fewer makes the first group coordinator lookup faster on 2 cores
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '10',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
    'num.network.threads': '2',
    'num.io.threads': '4',
    'num.recovery.threads.per.data.dir': '1',
    ...extra,
  }
  const lines = Object.entries(props).map(([key, value]) => `${key}=${value}`)
  return `# written by scripts/kafka/config.ts\n${lines.join('\n')}\n`
}

export function log4j2Properties(logFile: string, level: BrokerLogLevel): string {
  return [
    '# written by scripts/kafka/config.ts',
    'status = error',
    'name = kafka-harness',
    'appender.file.type = File',
    'appender.file.name = FILE',
    `appender.file.fileName = ${logFile}`,
    'appender.file.append = true',
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    `rootLogger.level = ${level}`,
    'rootLogger.appenderRef.file.ref = FILE',
    '',
  ].join('\n')
}
