-- Users carry a version bumped by every write; a save of an older copy is refused, so a
-- sign-in can never write back a status, password or counter an admin changed meanwhile.
ALTER TABLE users ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
