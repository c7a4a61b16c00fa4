-- SLA policies (CONTRACT §9): the policy and calendar each request and each
-- deadline instance counts in, what the engine needs to replay a deadline
-- (its target, committed time, lead, pauses, the time carried over a change
-- of calendar, when it closed), and the quiet-hours hold of a notification.

-- +goose Up
ALTER TABLE service_requests
    ADD COLUMN sla_policy   text NOT NULL DEFAULT '',
    ADD COLUMN sla_calendar text NOT NULL DEFAULT '';
ALTER TABLE sla_deadlines
    ADD COLUMN policy     text        NOT NULL DEFAULT '',
    ADD COLUMN calendar   text        NOT NULL DEFAULT '',
    ADD COLUMN target_ns  bigint      NOT NULL DEFAULT 0,
    ADD COLUMN fixed_due  timestamptz,
    ADD COLUMN lead_ns    bigint      NOT NULL DEFAULT 0,
    ADD COLUMN pauses     jsonb       NOT NULL DEFAULT '[]',
    ADD COLUMN carried_ns bigint      NOT NULL DEFAULT 0,
    ADD COLUMN rebased_at timestamptz,
    ADD COLUMN closed_at  timestamptz;
ALTER TABLE notifications ADD COLUMN held_until timestamptz;
CREATE INDEX sla_deadlines_policy_idx ON sla_deadlines (policy);

-- +goose Down
DROP INDEX sla_deadlines_policy_idx;
ALTER TABLE notifications DROP COLUMN held_until;
ALTER TABLE sla_deadlines
    DROP COLUMN policy, DROP COLUMN calendar, DROP COLUMN target_ns, DROP COLUMN fixed_due,
    DROP COLUMN lead_ns, DROP COLUMN pauses, DROP COLUMN carried_ns, DROP COLUMN rebased_at,
    DROP COLUMN closed_at;
ALTER TABLE service_requests DROP COLUMN sla_policy, DROP COLUMN sla_calendar;
