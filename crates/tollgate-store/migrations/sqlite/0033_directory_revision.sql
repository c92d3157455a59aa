-- One number that moves, in the same transaction, with every change that can change some
-- user's groups as a token sees them: a membership added or removed, or a group changed or
-- deleted (a membership change also moves its group's lastMembershipUpdated). Token paths keep
-- each user's groups in memory and compare this number, one row read, instead of reading the
-- user's thousand memberships on every request; when it moved they check the memberships.
CREATE TABLE directory_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO directory_revision (id, revision) VALUES (1, 0);

CREATE TRIGGER directory_revision_member_added AFTER INSERT ON group_members
BEGIN
    UPDATE directory_revision SET revision = revision + 1 WHERE id = 1;
END;

CREATE TRIGGER directory_revision_member_removed AFTER DELETE ON group_members
BEGIN
    UPDATE directory_revision SET revision = revision + 1 WHERE id = 1;
END;

CREATE TRIGGER directory_revision_group_changed AFTER UPDATE ON user_groups
BEGIN
    UPDATE directory_revision SET revision = revision + 1 WHERE id = 1;
END;

CREATE TRIGGER directory_revision_group_deleted AFTER DELETE ON user_groups
BEGIN
    UPDATE directory_revision SET revision = revision + 1 WHERE id = 1;
END;
