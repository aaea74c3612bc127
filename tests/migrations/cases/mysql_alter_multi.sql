ALTER TABLE `t_staff`
  ADD COLUMN `dept_code` varchar(16) NOT NULL DEFAULT '',
  ADD COLUMN `zhiwen` longblob COMMENT '指纹图像',
  MODIFY COLUMN `status` tinyint NOT NULL DEFAULT 0,
  ADD INDEX `idx_dept` (`dept_code`);
