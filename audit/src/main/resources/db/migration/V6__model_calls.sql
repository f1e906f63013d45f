-- Every model call Forge's model gateway forwarded or refused for a loop's agent: what it cost,
-- metered from the provider's answer. The cost of record of an agent step whose sandbox reaches its
-- model through the gateway is the sum of its calls here, over every attempt of the step (a call a
-- killed attempt made was paid for, and is counted once: call_id is the gateway's own id). Rows are
-- never changed, like the audit log's.
CREATE TABLE model_call (
    call_id              UUID           PRIMARY KEY,
    recorded_at          TIMESTAMPTZ    NOT NULL DEFAULT now(),
    loop_id              VARCHAR(64)    NOT NULL,
    iteration            INTEGER        NOT NULL,
    step                 VARCHAR(200)   NOT NULL,
    attempt              VARCHAR(64)    NOT NULL,
    provider             VARCHAR(20)    NOT NULL,
    model                VARCHAR(200),
    path                 VARCHAR(200)   NOT NULL,
    status               INTEGER        NOT NULL,
    streamed             BOOLEAN        NOT NULL,
    input_tokens         BIGINT         NOT NULL,
    cached_input_tokens  BIGINT         NOT NULL,
    cache_write_tokens   BIGINT         NOT NULL,
    output_tokens        BIGINT         NOT NULL,
    cost_usd             NUMERIC(14, 6) NOT NULL,
    cost_source          VARCHAR(20)    NOT NULL,
    reserved_usd         NUMERIC(14, 6) NOT NULL,
    latency_ms           BIGINT         NOT NULL,
    refusal_rule         VARCHAR(40),
    CONSTRAINT model_call_cost_not_negative CHECK (cost_usd >= 0 AND reserved_usd >= 0)
);

CREATE INDEX model_call_step_idx ON model_call (loop_id, iteration, step);

CREATE TRIGGER model_call_no_update_or_delete
    BEFORE UPDATE OR DELETE ON model_call
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

-- The application reads and appends, nothing else.
DO $do$
DECLARE
    app_role    text := '${appRole}';
    schema_name text := current_schema();
BEGIN
    EXECUTE format('REVOKE ALL ON TABLE %I.model_call FROM %I', schema_name, app_role);
    EXECUTE format('GRANT SELECT, INSERT ON TABLE %I.model_call TO %I', schema_name, app_role);
END
$do$;
