// Types for scripts/kafka/broker.mjs (real single-node Apache Kafka 4.x broker harness).

export declare const REPO_ROOT: string;
/** Cache/state dir: <repo>/.kafka unless KAFKA_HARNESS_DIR is set. */
export declare const HARNESS_DIR: string;

export interface StartBrokerOptions {
  /** Directory for config, logs and data. Default: a new temp dir, deleted by stop() unless keepData. */
  dataDir?: string;
  /** PLAINTEXT port on 127.0.0.1. Default: a free port (or the one a reused dataDir used). */
  port?: number;
  /** CONTROLLER port on 127.0.0.1. Default: a free port (or the one a reused dataDir used). */
  controllerPort?: number;
  /** Keep the temp data dir on stop(). A caller-given dataDir is never deleted. */
  keepData?: boolean;
  /** Harness progress messages: a function, or true for stderr. Broker logs go to `logFile`. */
  log?: boolean | ((message: string) => void);
  /** log4j root level for the broker's log file. Default WARN (env KAFKA_LOG_LEVEL). */
  logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'OFF';
  /** JVM heap for -Xms/-Xmx. Default 512m (env KAFKA_HEAP). */
  heap?: string;
  /** How long to wait for the broker to answer a metadata request. Default 120000. */
  startTimeoutMs?: number;
  /** Extra/overriding server.properties entries. */
  serverProperties?: Record<string, string>;
  /**
   * Spawn the JVM detached and do not kill it when this process exits (used by the CLI `start`).
   * Default false: the broker never outlives the process that started it.
   */
  detached?: boolean;
}

export interface RestartOptions {
  /** Time the broker stays down between stop and start. Default 0. */
  downMs?: number;
  /** Signal used to stop it: SIGTERM (graceful, default) or SIGKILL (crash). */
  signal?: 'SIGTERM' | 'SIGKILL';
}

export interface KafkaBroker {
  /** Bootstrap addresses for clients, e.g. ['127.0.0.1:40123']. */
  readonly brokers: string[];
  readonly port: number;
  readonly controllerPort: number;
  readonly dataDir: string;
  /** The broker's log4j file (WARN and above by default). */
  readonly logFile: string;
  /** Pid of the current JVM (changes across restarts), -1 if none. */
  readonly pid: number;
  /** Whether the current JVM is alive. */
  readonly running: boolean;
  /** Exit status of the current JVM once it has exited, else null. */
  readonly lastExit: { code: number | null; signal: NodeJS.Signals | null } | null;
  /** SIGTERM, wait for exit (SIGKILL after 15 s), delete the temp dir unless keepData. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL the JVM now, keeping the data (restart()/up() can follow; stop() still cleans up). */
  kill(): void;
  /** Stop the JVM (keeping data and ports) and start it again; resolves when it answers metadata. */
  restart(options?: RestartOptions): Promise<void>;
  /** Stop the JVM, keeping data and ports, for fault tests; follow with up(). */
  down(options?: Pick<RestartOptions, 'signal'>): Promise<void>;
  /** Start the JVM again after down() or kill(); resolves when it answers metadata. */
  up(): Promise<void>;
}

/** Runs maven if the jar cache (<repo>/.kafka/libs) is missing or stale; returns the libs dir. */
export declare function ensureKafkaJars(): Promise<string>;
/** Starts a single-node KRaft broker+controller on 127.0.0.1, ready to serve metadata. */
export declare function startBroker(options?: StartBrokerOptions): Promise<KafkaBroker>;
/** The Kafka version pinned in scripts/kafka/pom.xml. */
export declare function kafkaVersion(): string;
/** A currently free TCP port on 127.0.0.1. */
export declare function freePort(): Promise<number>;
/** kafkajs as loaded from the repo's node_modules. */
export declare function loadKafkajs(): Promise<typeof import('kafkajs')>;
