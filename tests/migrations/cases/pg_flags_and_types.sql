ALTER TABLE users
    ADD COLUMN has_id_card BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN id_card_type SMALLINT,
    ADD COLUMN passport_expires_on DATE;
