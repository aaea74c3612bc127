CREATE TABLE applicants (
    id        BIGSERIAL PRIMARY KEY,
    id_card   TEXT NOT NULL,  -- pia:encrypted (pgcrypto, key in KMS)
    diagnosis TEXT,           -- pia:tokenized
    gps_lat   DOUBLE PRECISION, -- pia:masked (rounded to 0.1 degree)
    -- pia:hashed (HMAC-SHA256, key in KMS)
    bank_card TEXT
);
ALTER TABLE applicants ADD COLUMN passport_no TEXT; -- pia:encrypted
