CREATE TABLE `t_user_ext` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `c1` varchar(18) NOT NULL DEFAULT '' COMMENT '身份证号',
  `c2` varchar(32) DEFAULT NULL COMMENT '备注',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='用户扩展信息';
