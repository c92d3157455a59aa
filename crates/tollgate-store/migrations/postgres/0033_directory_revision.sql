-- One number that moves, in the same transaction, with every change that can change some
-- user's groups as a token sees them: a membership added or removed, or a group changed or
-- deleted (a membership change also moves its group's lastMembershipUpdated). Token paths keep
-- each user's groups in memory and compare this number, one row read, instead of reading the
-- user's thousand memberships on every request; when it moved they check the memberships.
-- Statement-level triggers, so a bulk insert of memberships moves it once, and BEFORE the
-- statement, so every writer takes this row's lock before any group row's: two writers can
-- then never hold one each and wait for the other.
CREATE TABLE directory_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO directory_revision (id, revision) VALUES (1, 0);

-- A delete cascaded from a deleted user or group runs inside the foreign key's own trigger
-- (depth 2) and is skipped: a group's deletion moved the revision itself, and a deleted user's
-- groups are no one's. Skipping it also keeps a user's deletion, which holds the user's row,
-- from then waiting for this row while a membership write holds this row and waits for the
-- user's.
CREATE FUNCTION bump_directory_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() > 1 THEN
        RETURN NULL;
    END IF;
    UPDATE directory_revision SET revision = revision + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER directory_revision_members BEFORE INSERT OR DELETE ON group_members
    FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_revision();

CREATE TRIGGER directory_revision_groups BEFORE UPDATE OR DELETE ON user_groups
    FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_revision();
