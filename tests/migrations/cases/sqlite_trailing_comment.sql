CREATE TABLE t_visit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    a1 TEXT,            -- 就诊人姓名
    a2 TEXT NOT NULL,   -- 证件号码
    a3 INTEGER          -- 就诊次数
) WITHOUT ROWID;
