## Dòng lệnh loa

cli-init-done = Đã khởi tạo dữ liệu tại { $path } (lược đồ phiên bản { $version }).
cli-demo-seeded = Đã nạp dữ liệu mẫu: { $scripts } kịch bản, { $concepts } khái niệm thuật ngữ, { $stations } đài.
cli-directory-loaded = Danh bạ đài: { $provinces } tỉnh, thành và { $communes } xã, phường (đơn vị hành chính 2025), tìm được cả theo tên cũ.
cli-demo-already = Dữ liệu mẫu đã có sẵn, không nạp lại.
cli-error = Lỗi: { $message }
cli-none = (không có)
cli-backup-created = Đã sao lưu vào { $path } ({ $mb } MB, { $files } tệp).
cli-backup-restored = Đã khôi phục đài { $station } (bản sao lưu lúc { $created }) vào { $path }.
cli-backup-last = Lần sao lưu gần nhất: { $days } ngày trước.
cli-backup-never = Chưa sao lưu lần nào.

# Progress lines on a terminal, for long commands.
cli-progress-transcribing = Đang chép lời
cli-progress-model = Đang nhập mô hình
cli-progress-building = Đang đóng gói
cli-progress-decoding = Đang đọc âm thanh
cli-progress-update = Đang kiểm tra bản cập nhật
cli-update-checked = Bản cập nhật { $version } (đang dùng { $current }), ký bằng khóa phát hành { $keyId }: hợp lệ. { $notes }
cli-update-started = Đang cài bản { $version } ở chế độ im lặng; Loa Studio sẽ tự mở lại khi cài xong.
cli-update-manual = Bộ cài bản { $version } đã được kiểm tra. Cài bằng lệnh (cần quyền quản trị): { $command }
cli-progress-download = Đang tải bản cập nhật
cli-update-available = Có bản mới { $version }. { $notes }
cli-update-none = Đang dùng bản mới nhất ({ $version }).
cli-progress-sync = Đang đồng bộ với máy chủ tỉnh
cli-hub-none = Chưa đặt máy chủ tỉnh (loa hub set URL).
cli-hub-status = Máy chủ tỉnh: { $url }. Lần đồng bộ trước: { $error }. Chờ gửi: { $outbox }; chờ nhập: { $waiting }; báo nhận chờ gửi: { $receipts }.
cli-hub-ok = không lỗi
cli-hub-queued = Đã xếp gói tin để gửi qua máy chủ tỉnh ({ $waiting } gói đang chờ gửi); chạy loa hub sync để gửi.
cli-hub-synced = Đã đồng bộ: gửi { $sent }, nhập { $imported }, chờ tin cậy khóa { $held }, từ chối { $refused }, báo nhận { $receipts }.
