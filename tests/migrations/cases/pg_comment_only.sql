/*
 * Reporting tables. Earlier drafts stored 身份证号 and 银行卡号 here;
 * they were removed after review (no id_card, no bank_card, no phone).
 */
-- TODO: never add a mobile column to this table
CREATE TABLE daily_sales (
    day      DATE PRIMARY KEY,
    amount   NUMERIC(12, 2),   -- 金额
    orders   INTEGER
);
COMMENT ON TABLE daily_sales IS '日报：不含手机号、身份证';
