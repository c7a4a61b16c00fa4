-- Indexes of the KPI report (internal/report): it selects facts by when they
-- happened, so each period column it filters on is indexed. The settled
-- time of a deadline (its breach, else its meeting) is an expression index,
-- which also gives the planner statistics for that expression.

-- +goose Up
CREATE INDEX service_requests_closed_at_idx ON service_requests (closed_at);
CREATE INDEX service_requests_first_response_at_idx ON service_requests (first_response_at);
CREATE INDEX service_requests_accepted_at_idx ON service_requests (accepted_at);
CREATE INDEX sla_deadlines_settled_at_idx ON sla_deadlines ((coalesce(breached_at, met_at)));
-- Breaches by group join only the breached deadlines to their requests.
CREATE INDEX sla_deadlines_breached_settled_at_idx ON sla_deadlines ((coalesce(breached_at, met_at))) WHERE state = 'breached';

-- +goose Down
DROP INDEX sla_deadlines_breached_settled_at_idx;
DROP INDEX sla_deadlines_settled_at_idx;
DROP INDEX service_requests_accepted_at_idx;
DROP INDEX service_requests_first_response_at_idx;
DROP INDEX service_requests_closed_at_idx;
