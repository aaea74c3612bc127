CREATE TABLE `yh_xx` (
  `id` int NOT NULL AUTO_INCREMENT,
  `xm` varchar(50) DEFAULT NULL,
  `sfzh` char(18) DEFAULT NULL,
  `lxdh` varchar(20) DEFAULT NULL,
  `jtzz` varchar(200) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
