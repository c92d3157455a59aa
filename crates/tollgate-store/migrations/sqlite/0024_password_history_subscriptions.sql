-- Earlier password hashes of a user (argon2id PHC strings, newest first; a JSON array), for
-- the password policy's history.
ALTER TABLE users ADD COLUMN password_history TEXT NOT NULL DEFAULT '[]';


-- A user's choice for a notification type; a type with no row is subscribed (Okta's default).
CREATE TABLE user_subscriptions (
    user_id           TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    notification_type TEXT NOT NULL,
    subscribed        BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, notification_type)
);
