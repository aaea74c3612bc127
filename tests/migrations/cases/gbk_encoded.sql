-- …Ì∑›÷§
CREATE TABLE t (id int);
