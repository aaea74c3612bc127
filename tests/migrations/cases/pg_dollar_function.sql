-- A trigger keeps an audit trail; its body mentions id_card but adds no column.
CREATE TABLE audit_events (id BIGSERIAL PRIMARY KEY, event TEXT, at TIMESTAMPTZ);

CREATE OR REPLACE FUNCTION log_change() RETURNS trigger AS $body$
BEGIN
    ALTER TABLE audit_events ADD COLUMN id_card TEXT;
    INSERT INTO audit_events (event) VALUES ('11010519491231002X');
    RETURN NEW;
END;
$body$ LANGUAGE plpgsql;

CREATE FUNCTION noop() RETURNS void AS $$ SELECT 'bank_card 6222020200112233446'::text; $$ LANGUAGE sql;
