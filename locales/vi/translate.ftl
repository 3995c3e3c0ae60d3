# Dịch kịch bản, kiểm tra chất lượng (QA)

translate-title = Dịch
translate-pick-script = Chọn kịch bản
translate-pick-lang = Dịch sang
translate-no-script = Chọn một kịch bản để dịch
translate-no-script-hint = Mở kịch bản ở mục Kịch bản rồi bấm “Dịch”, hoặc chọn ở danh sách trên.
translate-no-lang = Chưa có ngôn ngữ đích
translate-no-lang-hint = Thêm ngôn ngữ dân tộc vào mục “Ngôn ngữ” của kịch bản.
translate-open = Dịch
translate-source = Tiếng Việt
translate-target = Bản dịch
translate-progress = { $confirmed }/{ $total } câu đã xác nhận
translate-progress-short = { $confirmed }/{ $total } câu
translate-confirm = Xác nhận và sang câu sau
translate-save-draft = Lưu nháp
translate-saved = Đã lưu
translate-outdated-was = Câu gốc trước đây: { $source }
translate-terms = Thuật ngữ
translate-no-terms = Câu này không có thuật ngữ trong bảng thuật ngữ.
translate-no-target-term = (chưa có thuật ngữ { $lang })
translate-matches = Bộ nhớ dịch
translate-no-matches = Không có câu tương tự trong bộ nhớ dịch.
translate-insert-match = Chèn (Ctrl+{ $n })
translate-palette = Bảng chữ
translate-palette-empty = Ngôn ngữ này chưa có bảng chữ. Thêm trong Cài đặt › Ngôn ngữ.
translate-run-qa = Kiểm tra (F7)
translate-qa-title = Kiểm tra chất lượng
translate-qa-fold = Thu gọn
translate-qa-unfold = Mở rộng
translate-qa-resize = Kéo để đổi chiều cao (phím mũi tên lên/xuống)
translate-qa-clean = Không tìm thấy lỗi nào.
translate-qa-count = { $errors } lỗi, { $warnings } cảnh báo
translate-mark-done = Đánh dấu đã dịch
translate-mark-open = Mở lại để dịch tiếp
translate-done = Đã dịch xong
translate-in-progress = Đang dịch
translate-export = Xuất bản dịch
translate-shortcuts = Ctrl+Enter: xác nhận · Ctrl+1…5: chèn gợi ý · Alt+↑/↓: câu trước/sau · F7: kiểm tra

segment-status-untranslated = Chưa dịch
segment-status-draft = Nháp
segment-status-confirmed = Đã xác nhận
segment-status-outdated = Câu gốc đã đổi

qa-severity-error = Lỗi
qa-severity-warning = Cảnh báo
qa-untranslated = Câu chưa được dịch
qa-unconfirmed = Bản dịch còn là nháp, chưa xác nhận
qa-outdated = Câu gốc đã thay đổi sau khi dịch (trước là: “{ $found }”)
qa-missing-term = Thiếu thuật ngữ đã duyệt cho “{ $found }”
qa-forbidden-term = Dùng thuật ngữ bị cấm “{ $found }”
qa-deprecated-term = Thuật ngữ không khuyến khích “{ $found }”
qa-number-mismatch = Số, ngày hoặc giờ không khớp câu gốc
qa-length = Bản dịch dài bằng { $found }% câu gốc: thời lượng đọc sẽ lệch nhiều
qa-repeated-word = Từ lặp lại: “{ $found } { $found }”
qa-spaces = Thừa khoảng trắng ở đầu, cuối hoặc giữa câu
qa-expected = Nên dùng: { $expected }
qa-numbers = Câu gốc: { $expected } · Bản dịch: { $found }
translate-exported = Đã xuất: { $path }
tm-import = Nhập bộ nhớ dịch…
tm-import-hint = Nhập bộ nhớ dịch của đơn vị khác (tệp TMX)
tm-imported = Đã nhập { $units } đơn vị vào bộ nhớ dịch{ $skipped ->
    [0] .
   *[other] ; bỏ qua { $skipped } đơn vị không có câu tiếng Việt.
}
