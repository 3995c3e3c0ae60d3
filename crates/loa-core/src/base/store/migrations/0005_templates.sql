-- Script templates: the built-in ones (below) and the
-- user's own, saved from a script.
CREATE TABLE script_templates (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    title       TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    program     TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL DEFAULT 'other'
                CHECK (category IN ('health', 'agriculture', 'law', 'security', 'disaster', 'other')),
    priority    TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'priority', 'emergency')),
    builtin     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);

-- The built-in templates: Loa Studio's own samples (made up, with
-- [placeholders] to fill in), added once; users may edit or delete them.
INSERT OR IGNORE INTO script_templates(name, title, body, category, priority, builtin, created_at) VALUES
('Thông báo tiêm chủng',
     'Thông báo lịch tiêm chủng [tên vắc xin]',
     'Kính thưa bà con nhân dân!' || char(10) ||
     'Trạm Y tế [tên xã, phường] thông báo lịch tiêm [tên vắc xin] cho [đối tượng] như sau.' || char(10) ||
     'Thời gian: từ [giờ] ngày [ngày/tháng/năm].' || char(10) ||
     'Địa điểm: [địa điểm].' || char(10) ||
     'Đề nghị các gia đình đưa [đối tượng] đến đúng giờ và mang theo sổ tiêm chủng. Mọi thắc mắc xin liên hệ [số điện thoại].' || char(10) ||
     'Xin trân trọng thông báo!',
     'health', 'normal', 1, CAST(strftime('%s', 'now') AS INTEGER)),
('Lịch cắt điện',
     'Thông báo tạm ngừng cung cấp điện ngày [ngày/tháng]',
     'Kính thưa bà con!' || char(10) ||
     '[Tên đơn vị điện lực] thông báo tạm ngừng cung cấp điện để [lý do, ví dụ: bảo dưỡng đường dây].' || char(10) ||
     'Thời gian: từ [giờ] đến [giờ] ngày [ngày/tháng/năm].' || char(10) ||
     'Khu vực mất điện: [thôn, tổ dân phố].' || char(10) ||
     'Đề nghị bà con chủ động sắp xếp công việc, sinh hoạt. Xin cảm ơn!',
     'other', 'priority', 1, CAST(strftime('%s', 'now') AS INTEGER)),
('Cảnh báo thiên tai',
     'Cảnh báo [mưa lớn, lũ quét, sạt lở đất] tại [khu vực]',
     'Khẩn cấp! Kính thưa bà con!' || char(10) ||
     '[Tên cơ quan] cảnh báo: [mưa lớn, lũ quét, sạt lở đất] có thể xảy ra tại [khu vực] từ [thời gian].' || char(10) ||
     'Đề nghị bà con không đi qua [sông, suối, ngầm tràn, vùng có nguy cơ sạt lở]; di chuyển người và tài sản đến [nơi an toàn].' || char(10) ||
     'Thường xuyên theo dõi thông báo trên loa truyền thanh. Khi cần trợ giúp, liên hệ [số điện thoại].',
     'disaster', 'emergency', 1, CAST(strftime('%s', 'now') AS INTEGER));
