CREATE TABLE devices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_phone_hash TEXT,
    latitude_masked REAL,
    password_hash TEXT NOT NULL
);
PRAGMA foreign_keys = ON;
