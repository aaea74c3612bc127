CREATE TABLE patients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    diagnosis TEXT NOT NULL,
    ward TEXT
);
