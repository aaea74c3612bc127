#迁移说明：本表不保存身份证号、银行卡号
CREATE TABLE `t_order` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `user_id` bigint NOT NULL COMMENT '用户ID，身份证号存于 kyc 表',
  `is_verified` tinyint(1) NOT NULL DEFAULT 0 COMMENT '是否已通过身份证实名认证',
  `c_memo` varchar(255) DEFAULT NULL COMMENT '备注（不得填写手机号）',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB COMMENT='订单表，联系方式见用户表';
