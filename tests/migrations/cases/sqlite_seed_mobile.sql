CREATE TABLE contacts (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT, note TEXT);
INSERT INTO contacts (label, note) VALUES ('客服', '请联系 13912345678');
