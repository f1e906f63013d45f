-- Delivery ids of the signed webhooks Forge accepted (POST /api/webhooks/{source}), so that a
-- delivery sent again is refused as a replay: the INSERT of a (source, delivery id) already here
-- conflicts. A delivery's signed timestamp must lie within its source's tolerance (at most 12h)
-- of the server's clock, so a delivery older than a day cannot be accepted again anyway; rows may
-- be deleted after a day and not before.

CREATE TABLE webhook_delivery (
    source       VARCHAR(64)  NOT NULL,
    delivery_id  VARCHAR(128) NOT NULL,
    received_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (source, delivery_id),
    CONSTRAINT webhook_delivery_source_format CHECK (source ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    CONSTRAINT webhook_delivery_id_format CHECK (delivery_id ~ '^[A-Za-z0-9._-]{8,128}$')
);

CREATE INDEX webhook_delivery_received_idx ON webhook_delivery (received_at);

-- No delivery id is forgotten while a replay of it could still carry a fresh timestamp.
CREATE FUNCTION webhook_delivery_kept_a_day() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF OLD.received_at > now() - interval '1 day' THEN
        RAISE EXCEPTION 'webhook delivery % of % is younger than a day and must be kept', OLD.delivery_id, OLD.source
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$;

CREATE TRIGGER webhook_delivery_retention
    BEFORE DELETE ON webhook_delivery
    FOR EACH ROW EXECUTE FUNCTION webhook_delivery_kept_a_day();

-- What the application needs and no more: remember a delivery (not choosing when it arrived) and
-- forget those older than a day. No UPDATE; no SELECT (the INSERT's conflict is the answer).
DO $do$
DECLARE
    app_role    text := '${appRole}';
    schema_name text := current_schema();
BEGIN
    EXECUTE format('REVOKE ALL ON TABLE %I.webhook_delivery FROM %I', schema_name, app_role);
    EXECUTE format('GRANT INSERT (source, delivery_id) ON TABLE %I.webhook_delivery TO %I',
                   schema_name, app_role);
    EXECUTE format('GRANT SELECT (received_at), DELETE ON TABLE %I.webhook_delivery TO %I', schema_name, app_role);
END
$do$;
