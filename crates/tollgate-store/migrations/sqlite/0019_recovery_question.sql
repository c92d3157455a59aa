-- A user's recovery question, and an argon2id hash of its answer (compared ignoring case).
ALTER TABLE users ADD COLUMN recovery_question TEXT;
ALTER TABLE users ADD COLUMN recovery_answer_hash TEXT;
