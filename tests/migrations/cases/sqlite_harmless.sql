CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_no TEXT NOT NULL UNIQUE,
    amount REAL,
    status TEXT DEFAULT 'new',
    created_at TEXT
);
INSERT INTO orders (order_no, amount) VALUES ('20240101000123456789', 12.5);
