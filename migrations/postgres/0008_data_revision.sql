-- The data revision: a counter every change to the recruitment data moves, in the same
-- transaction as the change, so that a cached read can be checked with one small query and is
-- never newer or older than what it says. Sessions, tokens and failed logins do not count.
CREATE TABLE data_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO data_revision (id, revision) VALUES (1, 1);

CREATE FUNCTION bump_data_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_revision SET revision = revision + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER companies_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON companies
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER role_profiles_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON role_profiles
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER users_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER weight_overrides_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON weight_overrides
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER candidates_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON candidates
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER applications_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON applications
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER stage_changes_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stage_changes
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER interview_assignments_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON interview_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER scorecards_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON scorecards
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER decisions_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
