-- The audit log: one row per thing that happened, never changed afterwards.
CREATE TABLE audit_log (
    id           BIGSERIAL    PRIMARY KEY,
    request_id   VARCHAR(300) NOT NULL,
    recorded_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    loop_id      VARCHAR(64),
    run_id       VARCHAR(64),
    iteration    INTEGER      NOT NULL DEFAULT 0,
    actor        VARCHAR(100) NOT NULL,
    action       VARCHAR(100) NOT NULL,
    target       TEXT,
    detail       JSONB        NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT audit_log_request_id_unique UNIQUE (request_id)
);

CREATE INDEX audit_log_loop_idx ON audit_log (loop_id, id);

-- Append-only, enforced by the database and not only by the application: an UPDATE or DELETE
-- (or TRUNCATE) of the audit log fails, whoever sends it. A separate database role without those
-- privileges comes with the audit work that follows the skeleton.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- The cost ledger: what each iteration of each loop cost, one row per loop and iteration.
CREATE TABLE cost_ledger (
    loop_id              VARCHAR(64)    NOT NULL,
    iteration            INTEGER        NOT NULL,
    recorded_at          TIMESTAMPTZ    NOT NULL DEFAULT now(),
    input_tokens         BIGINT         NOT NULL,
    cached_input_tokens  BIGINT         NOT NULL,
    cache_write_tokens   BIGINT         NOT NULL,
    output_tokens        BIGINT         NOT NULL,
    cost_usd             NUMERIC(14, 6) NOT NULL,
    cost_source          VARCHAR(20)    NOT NULL,
    model                VARCHAR(100),
    total_cost_usd       NUMERIC(14, 6) NOT NULL,
    cap_usd              NUMERIC(14, 6) NOT NULL,
    PRIMARY KEY (loop_id, iteration)
);
