-- seed data for the demo environment
INSERT INTO staff (id, staff_name, note) VALUES
    (1, '测试一', 'demo'),
    (2, '测试二', '11010519491231002X');
