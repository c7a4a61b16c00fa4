-- svcflow records (docs/CONTRACT.md §5). Keys derive from request IDs and workflow steps,
-- never from run IDs, so retried activities leave exactly one row.

-- +goose Up
CREATE TABLE service_requests (
    request_id          text        PRIMARY KEY,
    workflow_id         text        NOT NULL,
    seq                 bigint      NOT NULL,
    customer_id         text        NOT NULL DEFAULT '',
    customer_name       text        NOT NULL DEFAULT '',
    tier                text        NOT NULL DEFAULT '',
    priority            text        NOT NULL DEFAULT '',
    category            text        NOT NULL DEFAULT '',
    channel             text        NOT NULL DEFAULT '',
    complex             boolean     NOT NULL DEFAULT false,
    title               text        NOT NULL DEFAULT '',
    stage               text        NOT NULL DEFAULT '',
    outcome             text        NOT NULL DEFAULT '',
    assigned_group      text        NOT NULL DEFAULT '',
    assignee            text        NOT NULL DEFAULT '',
    escalation_level    integer     NOT NULL DEFAULT 0,
    sla_breached        boolean     NOT NULL DEFAULT false,
    sheet_rounds        integer     NOT NULL DEFAULT 0,
    rework_rounds       integer     NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    first_response_at   timestamptz,
    accepted_at         timestamptz,
    closed_at           timestamptz,
    resolution_work_ns  bigint      NOT NULL DEFAULT 0,
    customer_wait_ns    bigint      NOT NULL DEFAULT 0,
    CONSTRAINT service_requests_request_id_nonempty CHECK (request_id <> '')
);
CREATE INDEX service_requests_created_at_idx ON service_requests (created_at);
CREATE INDEX service_requests_group_created_idx ON service_requests (assigned_group, created_at);
CREATE INDEX service_requests_stage_created_idx ON service_requests (stage, created_at);
CREATE INDEX service_requests_customer_created_idx ON service_requests (customer_id, created_at);

-- Append-only timeline: one row per (request, sequence).
CREATE TABLE request_events (
    request_id  text        NOT NULL REFERENCES service_requests (request_id),
    seq         bigint      NOT NULL,
    kind        text        NOT NULL,
    actor       text        NOT NULL DEFAULT '',
    payload     jsonb,
    at          timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, seq)
);
CREATE INDEX request_events_kind_at_idx ON request_events (kind, at);

-- One row per deadline instance; seq is the transition that last wrote it.
CREATE TABLE sla_deadlines (
    request_id       text        NOT NULL REFERENCES service_requests (request_id),
    name             text        NOT NULL,
    instance         integer     NOT NULL,
    seq              bigint      NOT NULL,
    clock            text        NOT NULL DEFAULT '',
    started_at       timestamptz NOT NULL,
    due_at           timestamptz,
    state            text        NOT NULL DEFAULT '',
    warned_at        timestamptz,
    met_at           timestamptz,
    breached_at      timestamptz,
    escalation_level integer     NOT NULL DEFAULT 0,
    paused_ns        bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (request_id, name, instance)
);
CREATE INDEX sla_deadlines_name_started_idx ON sla_deadlines (name, started_at);

-- Every notification per channel; (dedupe_key, channel) is sent at most once.
CREATE TABLE notifications (
    id          bigserial   PRIMARY KEY,
    dedupe_key  text        NOT NULL,
    channel     text        NOT NULL,
    request_id  text        NOT NULL DEFAULT '',
    party       text        NOT NULL DEFAULT '',
    kind        text        NOT NULL DEFAULT '',
    template    text        NOT NULL DEFAULT '',
    locale      text        NOT NULL DEFAULT '',
    recipient   text        NOT NULL DEFAULT '',
    status      text        NOT NULL,
    attempts    integer     NOT NULL DEFAULT 1,
    last_error  text        NOT NULL DEFAULT '',
    sent_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notifications_dedupe_key_channel_key UNIQUE (dedupe_key, channel),
    CONSTRAINT notifications_status_check CHECK (status IN ('sent', 'failed', 'skipped')),
    CONSTRAINT notifications_dedupe_key_nonempty CHECK (dedupe_key <> '')
);
CREATE INDEX notifications_request_created_idx ON notifications (request_id, created_at);
CREATE INDEX notifications_kind_created_idx ON notifications (kind, created_at);

-- The follow-up survey, one per request.
CREATE TABLE surveys (
    request_id      text             PRIMARY KEY REFERENCES service_requests (request_id),
    seq             bigint           NOT NULL,
    response_speed  integer          NOT NULL,
    resolution      integer          NOT NULL,
    attitude        integer          NOT NULL,
    professionalism integer          NOT NULL,
    average         double precision NOT NULL,
    solved          boolean,
    comment         text             NOT NULL DEFAULT '',
    recorded_at     timestamptz      NOT NULL
);
CREATE INDEX surveys_recorded_at_idx ON surveys (recorded_at);

CREATE TABLE complaints (
    request_id   text        NOT NULL REFERENCES service_requests (request_id),
    complaint_id integer     NOT NULL,
    seq          bigint      NOT NULL,
    source       text        NOT NULL DEFAULT '',
    reason       text        NOT NULL DEFAULT '',
    opened_at    timestamptz NOT NULL,
    due_at       timestamptz NOT NULL,
    resolved_at  timestamptz,
    resolution   text        NOT NULL DEFAULT '',
    breached     boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (request_id, complaint_id)
);
CREATE INDEX complaints_opened_at_idx ON complaints (opened_at);

-- Monthly care letters, at most one per customer and month (YYYY-MM).
CREATE TABLE care_letters (
    customer_id text        NOT NULL,
    month       text        NOT NULL,
    request_id  text        NOT NULL DEFAULT '',
    dedupe_key  text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, month),
    CONSTRAINT care_letters_month_format CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);

-- +goose Down
DROP TABLE care_letters;
DROP TABLE complaints;
DROP TABLE surveys;
DROP TABLE notifications;
DROP TABLE sla_deadlines;
DROP TABLE request_events;
DROP TABLE service_requests;
