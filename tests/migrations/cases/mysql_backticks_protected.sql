CREATE TABLE `t_member` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `id_card_cipher` varbinary(64) NOT NULL COMMENT '身份证号密文',
  `c_mobile` varchar(64) DEFAULT NULL COMMENT "手机号 [pia:masked]",
  `c_card` varchar(64) DEFAULT NULL COMMENT '银行卡号 [pia:tokenized]',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB;
