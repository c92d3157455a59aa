-- Groups carry a version bumped by every write to their row (profile or membership), in the
-- same statement. The token path caches groups per process and compares versions: two writes
-- in the same millisecond leave lastUpdated alone but always move the version.
ALTER TABLE user_groups ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
