CREATE TABLE t_kh (
    f1 TEXT,
    f2 TEXT,
    f3 INTEGER
);
COMMENT ON COLUMN t_kh.f1 IS '客户身份证号码';
COMMENT ON COLUMN t_kh.f2 IS '客户手机号';
COMMENT ON COLUMN t_kh.f3 IS '积分';
