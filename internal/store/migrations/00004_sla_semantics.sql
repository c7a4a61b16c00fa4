-- What-if (CONTRACT §10) replays a request under the engine rules it ran
-- with: the version of the deadline rules in its policy snapshot
-- (policy.Snapshot.Semantics). NULL for requests recorded before: what-if
-- takes rules 1 for those that recorded a policy name (migration 00003),
-- rules 0 for older ones.

-- +goose Up
ALTER TABLE service_requests ADD COLUMN sla_semantics integer;

-- +goose Down
ALTER TABLE service_requests DROP COLUMN sla_semantics;
