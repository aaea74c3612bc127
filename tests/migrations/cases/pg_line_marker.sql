CREATE TABLE applicants (
    id        BIGSERIAL PRIMARY KEY,
    id_card   TEXT NOT NULL,  -- pia:encrypted (pgcrypto, key in KMS)
    diagnosis TEXT,           -- pia:tokenized
    gps_lat   DOUBLE PRECISION -- pia:masked (rounded to 0.1 degree)
);
