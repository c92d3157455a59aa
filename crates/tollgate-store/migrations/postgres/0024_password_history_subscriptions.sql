-- Earlier password hashes of a user (argon2id PHC strings, newest first; a JSON array), for
-- the password policy's history.
ALTER TABLE users ADD COLUMN password_history TEXT NOT NULL DEFAULT '[]';

