## Dòng lệnh loa

cli-init-done = Đã khởi tạo dữ liệu tại { $path } (lược đồ phiên bản { $version }).
cli-demo-seeded = Đã nạp dữ liệu mẫu: { $scripts } kịch bản, { $concepts } khái niệm thuật ngữ, { $stations } đài.
cli-demo-already = Dữ liệu mẫu đã có sẵn, không nạp lại.
cli-error = Lỗi: { $message }
cli-none = (không có)
