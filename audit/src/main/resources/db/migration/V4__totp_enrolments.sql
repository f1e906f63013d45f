-- TOTP secrets for step-up approvals (production gates and gates with step_up: true). An admin
-- enrols a user through POST /api/totp/enrolments; the secret is shown once, to that admin, and
-- stored here only encrypted (AES-256-GCM, bound to the user's name) with a key kept in the data
-- directory's secrets folder, never in the database. last_used_step is the RFC 6238 time step of
-- the last code accepted: a code is accepted only for a later step, so no code works twice.

CREATE TABLE totp_enrolment (
    user_name         VARCHAR(64)  PRIMARY KEY,
    secret_ciphertext BYTEA        NOT NULL,
    enrolled_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    enrolled_by       VARCHAR(64)  NOT NULL,
    last_used_step    BIGINT       NOT NULL DEFAULT -1,
    CONSTRAINT totp_enrolment_name_present CHECK (user_name <> ''),
    -- version byte, 12-byte nonce, at least a 16-byte secret, 16-byte tag
    CONSTRAINT totp_enrolment_ciphertext_size CHECK (octet_length(secret_ciphertext) >= 45)
);

-- The time step only moves forward, whoever updates it; a new enrolment (a new secret) starts over.
CREATE FUNCTION totp_enrolment_step_moves_forward() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.secret_ciphertext IS NOT DISTINCT FROM OLD.secret_ciphertext
       AND NEW.last_used_step <= OLD.last_used_step THEN
        RAISE EXCEPTION 'the last used TOTP step of % may only move forward', OLD.user_name
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER totp_enrolment_forward_only
    BEFORE UPDATE ON totp_enrolment
    FOR EACH ROW EXECUTE FUNCTION totp_enrolment_step_moves_forward();

-- What the application needs and no more: read enrolments, enrol (insert, or replace the secret
-- of an earlier enrolment), and move the last used step forward. No DELETE.
DO $do$
DECLARE
    app_role    text := '${appRole}';
    schema_name text := current_schema();
BEGIN
    EXECUTE format('REVOKE ALL ON TABLE %I.totp_enrolment FROM %I', schema_name, app_role);
    EXECUTE format('GRANT SELECT ON TABLE %I.totp_enrolment TO %I', schema_name, app_role);
    EXECUTE format('GRANT INSERT (user_name, secret_ciphertext, enrolled_by) ON TABLE %I.totp_enrolment TO %I',
                   schema_name, app_role);
    EXECUTE format('GRANT UPDATE (secret_ciphertext, enrolled_at, enrolled_by, last_used_step) ON TABLE %I.totp_enrolment TO %I',
                   schema_name, app_role);
END
$do$;
