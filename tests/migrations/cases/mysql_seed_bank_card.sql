INSERT INTO `t_payment_method` (`id`, `user_id`, `card_no_token`, `remark`) VALUES
  (1, 10, 'tok_4c1f', '测试卡'),
  (2, 11, 'tok_9a2e', "6222020200112233446");
