import { test } from 'node:test'
import assert from 'node:assert/strict'
import kafkajs from 'kafkajs'
import { markedRoundRobin, markerOf, membershipProblem, storeMarker } from '../../../../src/sources/kafka/membership.js'

const embeddedA = storeMarker('embedded', '/srv/a/clickhouse')
const embeddedB = storeMarker('embedded', '/srv/b/clickhouse')
const member = (memberId: string, marker: string | null) => ({ memberId, clientHost: '/10.0.0.9', marker })

test('the marker travels in the member metadata, under the round-robin protocol name', () => {
  const assigner = markedRoundRobin(embeddedA)({ cluster: {} as never, groupId: 'g', logger: {} as never })
  const { name, metadata } = assigner.protocol({ topics: ['t'] })
  assert.equal(name, 'RoundRobinAssigner')
  assert.equal(markerOf(metadata), embeddedA)
  assert.deepEqual(kafkajs.AssignerProtocol.MemberMetadata.decode(metadata)?.topics, ['t'])
  assert.equal(markerOf(Buffer.from('not member metadata')), null)
})

test('a member joining a group whose other member writes to another embedded store is refused, naming the group and the docs', () => {
  const problem = membershipProblem('g', { memberId: 'b', isLeader: false, marker: embeddedB }, [
    member('a', embeddedA),
    member('b', embeddedB),
  ])
  assert.match(problem ?? '', /consumer group "g" already has a member on 10\.0\.0\.9 writing to an embedded ClickHouse/)
  assert.match(problem ?? '', /one ClickHouse server \(clickhouse\.url\) and one ABUSE_RADAR_PSEUDONYM_KEY \(docs\/scale-out\.md\)/)
})

test('the leader (the older member) stays; members sharing one store, or all on a server, are allowed', () => {
  const others = [member('a', embeddedA), member('b', embeddedB)]
  assert.equal(membershipProblem('g', { memberId: 'a', isLeader: true, marker: embeddedA }, others), null)
  assert.equal(membershipProblem('g', { memberId: 'c', isLeader: false, marker: embeddedA }, [member('a', embeddedA)]), null)
  assert.equal(
    membershipProblem('g', { memberId: 'c', isLeader: false, marker: 'server' }, [member('a', 'server'), member('b', null)]),
    null,
  )
})

test('a server-mode member joining an embedded one is refused too, and an embedded one joining servers', () => {
  assert.notEqual(membershipProblem('g', { memberId: 'c', isLeader: false, marker: 'server' }, [member('a', embeddedA)]), null)
  assert.notEqual(membershipProblem('g', { memberId: 'c', isLeader: false, marker: embeddedA }, [member('a', 'server')]), null)
})
