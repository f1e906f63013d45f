-- API tokens that an admin creates through POST /api/tokens (the users configured in
-- forge.api.users stay the bootstrap path and are not stored here). Only the SHA-256 of a token is
-- kept; the token itself is shown once, to the admin who created it. Every token expires, and a
-- revoked token stays revoked: the application role may insert tokens and revoke them, and nothing
-- else — no DELETE, no UPDATE of anything but the revocation columns, and (a trigger) no UPDATE
-- that un-revokes, re-revokes or backdates a revocation.

CREATE TABLE api_token (
    -- The public part of the token (fgt_<id>_<secret>): names it in lists, audit entries and
    -- revocations, and finds its row, so the secret is compared with one hash only.
    id            VARCHAR(12)   PRIMARY KEY,
    token_sha256  BYTEA         NOT NULL,
    name          VARCHAR(64)   NOT NULL,
    -- comma-separated role and group names (the API validates both; neither holds a comma)
    roles         VARCHAR(100)  NOT NULL,
    groups        VARCHAR(1100) NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ   NOT NULL DEFAULT now(),
    created_by    VARCHAR(64)   NOT NULL,
    expires_at    TIMESTAMPTZ   NOT NULL,
    revoked_at    TIMESTAMPTZ,
    revoked_by    VARCHAR(64),
    CONSTRAINT api_token_id_format CHECK (id ~ '^[a-z0-9]{12}$'),
    CONSTRAINT api_token_hash_is_sha256 CHECK (octet_length(token_sha256) = 32),
    CONSTRAINT api_token_hash_unique UNIQUE (token_sha256),
    CONSTRAINT api_token_roles_present CHECK (roles <> ''),
    CONSTRAINT api_token_expires_after_creation CHECK (expires_at > created_at),
    CONSTRAINT api_token_revocation_complete CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

CREATE INDEX api_token_name_idx ON api_token (name);

-- An UPDATE may only revoke a token that is not revoked yet, at the database's own time, and
-- change nothing else. (Column privileges already keep the application role to revoked_at and
-- revoked_by; this also holds for the owner.)
CREATE FUNCTION api_token_update_only_revokes() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF OLD.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'api token % is revoked already; a revocation cannot be changed or undone', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.revoked_at IS NULL OR NEW.revoked_by IS NULL THEN
        RAISE EXCEPTION 'an update of api_token may only revoke the token (revoked_at and revoked_by)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.id, NEW.token_sha256, NEW.name, NEW.roles, NEW.groups, NEW.created_at, NEW.created_by, NEW.expires_at)
       IS DISTINCT FROM
       (OLD.id, OLD.token_sha256, OLD.name, OLD.roles, OLD.groups, OLD.created_at, OLD.created_by, OLD.expires_at) THEN
        RAISE EXCEPTION 'an update of api_token may only revoke the token (revoked_at and revoked_by)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.revoked_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER api_token_only_revocations
    BEFORE UPDATE ON api_token
    FOR EACH ROW EXECUTE FUNCTION api_token_update_only_revokes();

-- What the application needs and no more: read tokens, insert new ones (not choosing created_at or
-- a revocation), and revoke them.
DO $do$
DECLARE
    app_role    text := '${appRole}';
    schema_name text := current_schema();
BEGIN
    EXECUTE format('REVOKE ALL ON TABLE %I.api_token FROM %I', schema_name, app_role);
    EXECUTE format('GRANT SELECT ON TABLE %I.api_token TO %I', schema_name, app_role);
    EXECUTE format('GRANT INSERT (id, token_sha256, name, roles, groups, created_by, expires_at) ON TABLE %I.api_token TO %I',
                   schema_name, app_role);
    EXECUTE format('GRANT UPDATE (revoked_at, revoked_by) ON TABLE %I.api_token TO %I', schema_name, app_role);
END
$do$;
