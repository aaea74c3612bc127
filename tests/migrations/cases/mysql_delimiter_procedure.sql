CREATE TABLE `t_job` (`id` int NOT NULL, `job_name` varchar(64), PRIMARY KEY (`id`));

DELIMITER //
CREATE PROCEDURE add_kyc()
BEGIN
  ALTER TABLE t_user ADD COLUMN id_card varchar(18);
  UPDATE t_user SET id_card = '11010519491231002X' WHERE id = 1;
END //
DELIMITER ;
