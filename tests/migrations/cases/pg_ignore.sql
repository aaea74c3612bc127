CREATE TABLE kyc_archive (
    id        BIGSERIAL PRIMARY KEY,
    -- pia:ignore PIPL-28-SENSITIVE-PLAINTEXT archive column dropped in 20240301, tracked in SEC-42
    id_card   TEXT
);
