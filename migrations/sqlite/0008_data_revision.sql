-- The data revision: a counter every change to the recruitment data moves, in the same
-- transaction as the change, so that a cached read can be checked with one small query and is
-- never newer or older than what it says. Sessions, tokens and failed logins do not count.
CREATE TABLE data_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);
INSERT INTO data_revision (id, revision) VALUES (1, 1);
CREATE TRIGGER companies_insert_revision AFTER INSERT ON companies BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER companies_update_revision AFTER UPDATE ON companies BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER companies_delete_revision AFTER DELETE ON companies BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER role_profiles_insert_revision AFTER INSERT ON role_profiles BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER role_profiles_update_revision AFTER UPDATE ON role_profiles BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER role_profiles_delete_revision AFTER DELETE ON role_profiles BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER users_insert_revision AFTER INSERT ON users BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER users_update_revision AFTER UPDATE ON users BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER users_delete_revision AFTER DELETE ON users BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER weight_overrides_insert_revision AFTER INSERT ON weight_overrides BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER weight_overrides_update_revision AFTER UPDATE ON weight_overrides BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER weight_overrides_delete_revision AFTER DELETE ON weight_overrides BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER candidates_insert_revision AFTER INSERT ON candidates BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER candidates_update_revision AFTER UPDATE ON candidates BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER candidates_delete_revision AFTER DELETE ON candidates BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER applications_insert_revision AFTER INSERT ON applications BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER applications_update_revision AFTER UPDATE ON applications BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER applications_delete_revision AFTER DELETE ON applications BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER stage_changes_insert_revision AFTER INSERT ON stage_changes BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER stage_changes_update_revision AFTER UPDATE ON stage_changes BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER stage_changes_delete_revision AFTER DELETE ON stage_changes BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER interview_assignments_insert_revision AFTER INSERT ON interview_assignments BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER interview_assignments_update_revision AFTER UPDATE ON interview_assignments BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER interview_assignments_delete_revision AFTER DELETE ON interview_assignments BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER scorecards_insert_revision AFTER INSERT ON scorecards BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER scorecards_update_revision AFTER UPDATE ON scorecards BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER scorecards_delete_revision AFTER DELETE ON scorecards BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER decisions_insert_revision AFTER INSERT ON decisions BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER decisions_update_revision AFTER UPDATE ON decisions BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER decisions_delete_revision AFTER DELETE ON decisions BEGIN UPDATE data_revision SET revision = revision + 1; END;
