-- Two database roles. Migrations run as the owner of the schema's tables (spring.flyway.user, or
-- the datasource's user when none is set); the application connects as a separate role, by default
-- forge_app (placeholder appRole), that may only read and append: SELECT and INSERT on audit_log and
-- cost_ledger, no UPDATE, DELETE or TRUNCATE, and — not being the owner — no ALTER or DROP, so it
-- cannot disable or drop the append-only triggers either. The only way anything leaves audit_log
-- is forge_purge_audit below, for retention.
--
-- Operators may create the role themselves (then the owner needs no CREATEROLE): an existing role
-- is kept as it is. Otherwise it is created here, with the password in the appPassword placeholder
-- (none when empty: then only trust or peer authentication can log it in).
-- Every later migration that adds a table the application uses must GRANT on it to the role.

DO $do$
DECLARE
    app_role     text := '${appRole}';
    -- Dollar-quoted, so any password survives; the leading '-' keeps Flyway from reading '$${' as
    -- an escaped placeholder, and substr drops it again.
    app_password text := substr($pw$-${appPassword}$pw$, 2);
    schema_name  text := current_schema();
BEGIN
    IF app_role !~ '^[a-z_][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION 'the application role name (placeholder appRole) must be lower-case letters, digits and _, got "%"', app_role;
    END IF;
    IF app_role = current_user THEN
        RAISE EXCEPTION 'the application role (%) must not be the role migrations run as: it would own audit_log and could drop its append-only triggers; set spring.flyway.user to the owner and spring.datasource.username to the application role', app_role;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app_role) THEN
        BEGIN
            IF app_password = '' THEN
                EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', app_role);
            ELSE
                EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
                               app_role, app_password);
            END IF;
        EXCEPTION
            WHEN duplicate_object THEN
                NULL; -- created meanwhile by another migration run or the operator: keep it
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'cannot create the application role %: the migration role % lacks CREATEROLE', app_role, current_user
                    USING HINT = format('create it yourself (CREATE ROLE %I LOGIN PASSWORD ''...'') and start Forge again', app_role);
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app_role AND (rolsuper OR rolbypassrls)) THEN
        RAISE EXCEPTION 'the application role % is a superuser or bypasses row security: it could change the audit log', app_role;
    END IF;
    IF pg_has_role(app_role, current_user, 'MEMBER') THEN
        RAISE EXCEPTION 'the application role % is a member of %, which owns audit_log: it could act as the owner and drop the append-only triggers', app_role, current_user;
    END IF;

    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', schema_name, app_role);
    EXECUTE format('REVOKE ALL ON TABLE %I.audit_log, %I.cost_ledger FROM %I', schema_name, schema_name, app_role);
    -- Only the columns a writer chooses: the id and the timestamp come from the database, so the
    -- application can neither backdate an entry nor pick its sequence number.
    EXECUTE format('GRANT SELECT ON TABLE %I.audit_log TO %I', schema_name, app_role);
    EXECUTE format('GRANT INSERT (request_id, loop_id, run_id, iteration, actor, action, target, detail) ON TABLE %I.audit_log TO %I',
                   schema_name, app_role);
    EXECUTE format('GRANT USAGE ON SEQUENCE %I.audit_log_id_seq TO %I', schema_name, app_role);
    EXECUTE format('GRANT SELECT ON TABLE %I.cost_ledger TO %I', schema_name, app_role);
    EXECUTE format('GRANT INSERT (loop_id, iteration, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, cost_usd, cost_source, model, total_cost_usd, cap_usd) ON TABLE %I.cost_ledger TO %I',
                   schema_name, app_role);
END
$do$;

-- The append-only trigger, now with one exception: a DELETE issued by forge_purge_audit. The
-- function marks its own transaction (forge.audit_purge = on) and runs as the owner (SECURITY
-- DEFINER). Both are checked: the application role can set the marker with set_config too, but
-- it never runs as the owner, and it has no DELETE privilege to begin with. UPDATE and TRUNCATE
-- stay refused for everyone the trigger applies to.
CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('forge.audit_purge', true) = 'on'
       AND current_user = (SELECT pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID)
    THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Retention: removes entries recorded before older_than, never any younger than one day (whatever
-- the caller asks), and records what it removed as an audit.purged entry. Returns how many it
-- removed. The application role may execute it; nobody else but the owner.
CREATE FUNCTION forge_purge_audit(older_than timestamptz) RETURNS bigint
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS
$$
DECLARE
    minimum_age CONSTANT interval := interval '1 day';
    removed     bigint;
BEGIN
    IF older_than IS NULL OR older_than > now() - minimum_age THEN
        RAISE EXCEPTION 'forge_purge_audit removes nothing younger than %: cut-off % is too recent', minimum_age, older_than
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('forge.audit_purge', 'on', true);
    DELETE FROM ${flyway:defaultSchema}.audit_log WHERE recorded_at < older_than;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('forge.audit_purge', 'off', true);
    IF removed > 0 THEN
        INSERT INTO ${flyway:defaultSchema}.audit_log (request_id, actor, action, target, detail)
        VALUES ('audit.purged:' || gen_random_uuid(), 'forge', 'audit.purged', 'audit_log',
                jsonb_build_object('removed', removed, 'olderThan', older_than, 'requestedBy', session_user));
    END IF;
    RETURN removed;
END;
$$;

REVOKE ALL ON FUNCTION forge_purge_audit(timestamptz) FROM PUBLIC;

DO $do$
BEGIN
    EXECUTE format('GRANT EXECUTE ON FUNCTION forge_purge_audit(timestamptz) TO %I', '${appRole}');
END
$do$;
