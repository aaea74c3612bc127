CREATE TABLE accounts (
    id              BIGSERIAL PRIMARY KEY,
    id_card_enc     BYTEA NOT NULL,
    bank_card_hash  CHAR(64),
    phone_masked    VARCHAR(20),
    c_doc           TEXT,
    updated_at      TIMESTAMPTZ
);
COMMENT ON COLUMN accounts.c_doc IS '护照号码 [pia:encrypted]';
COMMENT ON TABLE accounts IS '账户表：身份证、银行卡均加密存储';
