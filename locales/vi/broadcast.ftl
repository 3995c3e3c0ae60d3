## Stations, packages, schedule, air log and reports (issue 7).

report-title = Báo cáo công tác truyền thanh
report-period = Kỳ báo cáo
report-period-col = Kỳ
report-stations = Đài
report-all-stations = Tất cả các đài
report-scripts = Số tin bài đã duyệt
report-languages = Ngôn ngữ
report-produced = Phút sản xuất
report-aired = Phút đã phát
report-broadcasts = Số lượt phát
report-on-time = Phát đúng thời hạn
report-late = Phát trễ hạn
report-packages-sent = Gói tin đã gửi
report-packages-received = Gói tin đã nhận
report-count = Số lượng
report-station = Đài
report-language = Ngôn ngữ
report-category = Lĩnh vực
report-program = Chương trình
report-priority = Mức độ
report-by-category = Tin bài theo lĩnh vực
report-by-program = Tin bài theo chương trình
report-by-priority = Tin bài theo mức độ
report-minutes = Thời lượng theo đài và ngôn ngữ
report-timeline = Thời lượng theo thời gian
report-sheet-summary = Tổng hợp
report-none = Không có số liệu.

cli-key-id = Mã khoá của { $station }: { $id }
cli-trusted = Đã tin cậy khoá { $id } của { $station }.
cli-package-built = Đã tạo { $path } ({ $mb } MB, { $items } bài).
cli-package-over-limit = Lưu ý: gói tin lớn hơn 25 MB, có thể không gửi được qua thư điện tử hay Zalo; dùng --split để tách theo ngôn ngữ.
cli-package-valid = Gói tin hợp lệ: “{ $title }” của { $issuer }, hiệu lực đến { $until }.
cli-package-imported = Đã nhập “{ $title }” (số { $id }, { $items } bài).
cli-placed = Đã xếp { $placed } lượt phát ({ $skipped } lượt đã có).
cli-airlog-imported = Đã ghi { $added } dòng nhật ký phát ({ $matched } dòng khớp với bài trong gói tin).
