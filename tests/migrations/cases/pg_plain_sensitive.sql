-- 20240101_create_customers.sql
CREATE TABLE IF NOT EXISTS public.customers (
    id          BIGSERIAL PRIMARY KEY,
    id_card     VARCHAR(18) NOT NULL,
    full_name   TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX customers_id_card_idx ON public.customers (id_card);
