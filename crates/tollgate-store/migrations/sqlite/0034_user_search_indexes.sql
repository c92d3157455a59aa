-- Okta's user search `q` matches the start of firstName, lastName or email, ignoring case. The
-- store asks each as a byte-order range over these expressions, so a search in an org of
-- 100,000 users reads the users that match instead of every profile.
CREATE INDEX users_q_first_name ON users (lower(json_extract(profile, '$.firstName')));
CREATE INDEX users_q_last_name ON users (lower(json_extract(profile, '$.lastName')));
CREATE INDEX users_q_email ON users (lower(json_extract(profile, '$.email')));
