/**
 * One store per consumer group. An embedded ClickHouse (no clickhouse.url) holds the data of the
 * process that opened it: two members of one group writing to two embedded stores each count half
 * of the stream, and neither store is right. So each member announces its store in its group
 * membership (the `userData` of the assignment protocol's member metadata, which every member's
 * JoinGroup carries and DescribeGroups returns), and after every join a member that is not the
 * group's leader checks the others: if its store and another member's differ and either is embedded,
 * it refuses to consume (before any record of the generation reaches the processor).
 *
 * Why the marker and the leader: a group's leader is its oldest member (Kafka keeps the leader
 * while it stays), so the member that joined later is the one refused, whichever of the two is
 * embedded, and two instances started at the same moment still end with one. Members of one process
 * sharing one embedded store (tests of joins and leaves) carry the same marker and are allowed.
 * Checked at join rather than by looking at the group before joining, which two instances starting
 * together would both pass.
 */
import { hostname } from 'node:os'
import { AssignerProtocol, PartitionAssigners, type PartitionAssigner } from 'kafkajs'

export type StoreMode = 'embedded' | 'server'

const EMBEDDED = 'embedded '

/** The store a member writes to: an embedded one is its host and directory (one process per directory). */
export function storeMarker(mode: StoreMode, location: string): string {
  return mode === 'embedded' ? `${EMBEDDED}${hostname()}:${location}` : 'server'
}

/**
 * kafkajs' round-robin assigner, carrying `marker` as the member's userData. Same protocol name and
 * version: members of an earlier release (no marker) still agree on the protocol with this one.
 */
export function markedRoundRobin(marker: string): PartitionAssigner {
  return (config) => {
    const roundRobin = PartitionAssigners.roundRobin(config)
    return {
      ...roundRobin,
      protocol: ({ topics }) => ({
        name: roundRobin.name,
        metadata: AssignerProtocol.MemberMetadata.encode({ version: roundRobin.version, topics, userData: Buffer.from(marker) }),
      }),
    }
  }
}

/** The marker in a member's metadata as DescribeGroups returns it; null for a member without one. */
export function markerOf(memberMetadata: Buffer): string | null {
  try {
    const userData = AssignerProtocol.MemberMetadata.decode(memberMetadata)?.userData
    return userData && userData.length > 0 ? userData.toString('utf8') : null
  } catch {
    return null
  }
}

export interface GroupMember {
  memberId: string
  clientHost: string
  marker: string | null
}

/** Why this member must not consume in this group, or null. */
export function membershipProblem(
  groupId: string,
  self: { memberId: string; isLeader: boolean; marker: string },
  members: readonly GroupMember[],
): string | null {
  if (self.isLeader) return null
  const embedded = (marker: string | null) => marker?.startsWith(EMBEDDED) === true
  const other = members.find(
    (m) => m.memberId !== self.memberId && m.marker !== self.marker && (embedded(self.marker) || embedded(m.marker)),
  )
  if (!other) return null
  const where = (marker: string | null) =>
    embedded(marker) ? `an embedded ClickHouse (${marker!.slice(EMBEDDED.length)})` : 'a ClickHouse server'
  return (
    `kafka.group_id: consumer group "${groupId}" already has a member on ${other.clientHost.replace(/^\//, '')} writing to ` +
    `${where(other.marker)}, and this instance writes to ${where(self.marker)}: each would count only its share of the stream. ` +
    'An embedded ClickHouse (no clickhouse.url) is for one instance; several instances need one ClickHouse server ' +
    '(clickhouse.url) and one ABUSE_RADAR_PSEUDONYM_KEY (docs/scale-out.md)'
  )
}
