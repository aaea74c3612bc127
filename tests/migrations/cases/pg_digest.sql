ALTER TABLE members ADD COLUMN id_card_sha256 CHAR(64), ADD COLUMN mobile_digest TEXT;
INSERT INTO members (id, id_card_sha256) VALUES
    (1, '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
