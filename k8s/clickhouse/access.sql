-- Roles of abuse-radar on ClickHouse: the processor may create and fill its own database and nothing
-- else; Grafana and analysts may read it. One statement per line (create-users.sh adds ON CLUSTER
-- to each for a cluster without replicated access storage). Passwords are not here: users are
-- created by create-users.sh from environment variables. The database name is `abuse`
-- (clickhouse.database); replace it everywhere if yours differs.

-- The processor: runs the migrations at start (CREATE DATABASE/TABLE/VIEW, materialized views into
-- its own tables), inserts batches with deduplication tokens, reads back seen_events and
-- schema_migrations. No DROP, TRUNCATE, ALTER ... DELETE, no other database, no system access.
CREATE ROLE IF NOT EXISTS abuse_radar_writer;
GRANT CREATE DATABASE ON abuse.* TO abuse_radar_writer;
GRANT CREATE TABLE, CREATE VIEW ON abuse.* TO abuse_radar_writer;
GRANT INSERT, SELECT ON abuse.* TO abuse_radar_writer;

-- Grafana and analysts: read only, but allowed to lower their own limits (readonly = 2); the
-- ClickHouse Grafana plugin sets max_execution_time per query.
CREATE ROLE IF NOT EXISTS abuse_radar_reader;
GRANT SELECT ON abuse.* TO abuse_radar_reader;
-- The "Table sizes" panel of the Pipeline health dashboard (only these columns of system.parts).
GRANT SELECT(database, table, rows, bytes_on_disk, active, modification_time) ON system.parts TO abuse_radar_reader;
CREATE SETTINGS PROFILE IF NOT EXISTS abuse_radar_reader_limits SETTINGS readonly = 2, max_execution_time = 30 MAX 120, max_memory_usage = 4000000000 MAX 8000000000, max_result_rows = 1000000 TO abuse_radar_reader;
