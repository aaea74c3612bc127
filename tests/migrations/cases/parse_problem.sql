CREAT TABLE broken (x int);
ALTER TABLE users ADD COLUMN passport_no VARCHAR(20);
