## Lỗi (mã lỗi từ lõi ứng dụng: error-<mã>)

error-db = Lỗi cơ sở dữ liệu: { $detail }
error-io = Không truy cập được { $path }: { $detail }
error-no-data-dir = Không xác định được thư mục dữ liệu. Hãy đặt biến LOA_DATA_DIR hoặc dùng --data-dir.
error-schema-too-new = Dữ liệu được tạo bởi phiên bản Loa Studio mới hơn (lược đồ { $found }, bản này hỗ trợ đến { $supported }). Hãy cập nhật ứng dụng.
error-not-found = Không tìm thấy { $what } (mã { $id }).
error-invalid = { $field }: { $reason }.
error-data-file = { $line ->
    [none] Không đọc được { $name }: { $detail }
   *[other] Không đọc được { $name }, dòng { $line }: { $detail }
}
error-internal = Lỗi nội bộ: { $detail }

what-script = kịch bản
what-station = đài
what-concept = khái niệm

field-title = Tiêu đề
field-body = Nội dung
field-user-name = Tên người dùng
field-ui-lang = Ngôn ngữ giao diện

reason-empty = không được để trống
reason-too-long = quá dài
reason-unsupported = giá trị không được hỗ trợ

what-revision = bản sửa

field-notes = Ghi chú
field-target-seconds = Thời lượng mục tiêu
field-air-dates = Ngày phát
field-target-langs = Ngôn ngữ phát
field-status = Trạng thái
field-approver = Người duyệt
field-date-range = Khoảng ngày

reason-bad-date = ngày không hợp lệ (dạng năm-tháng-ngày)
reason-end-before-start = ngày kết thúc trước ngày bắt đầu
reason-unknown = không có trong danh mục
reason-transition = không thể chuyển sang trạng thái này từ trạng thái hiện tại
what-template = mẫu kịch bản
field-template-name = Tên mẫu
reason-taken = đã có mẫu trùng tên
field-reading-rate = Tốc độ đọc
reason-out-of-range = nằm ngoài khoảng cho phép
reason-rate-range = phải từ 60 đến 250 âm tiết/phút
what-reader = người đọc
field-reader-name = Tên người đọc
field-segment = Đoạn dịch
what-language = ngôn ngữ
what-segment = câu
field-language-code = Mã ngôn ngữ (ISO 639-3, ba chữ thường)
field-language-name = Tên ngôn ngữ
field-writing-system = Hệ chữ viết
field-palette = Bảng chữ (mỗi ô một chữ)
field-term-status = Trạng thái thuật ngữ
field-terms = Thuật ngữ
field-term = Thuật ngữ
field-mapping = Ánh xạ cột
field-merge = Gộp khái niệm
field-translation = Bản dịch
field-format = Định dạng tệp
field-language = Ngôn ngữ
reason-format = sai định dạng
reason-in-use = đang được dùng
reason-no-terms = chưa có cột nào là thuật ngữ
reason-same-concept = không thể gộp một khái niệm với chính nó
reason-source-changed = câu gốc đã thay đổi, hãy mở lại bản dịch
reason-qa-errors = kiểm tra chất lượng còn lỗi
reason-same-as-source = trùng với ngôn ngữ gốc
error-data-row = { $line ->
    [none] Không đọc được { $name }: { $problem }{ $value }.
   *[other] Không đọc được { $name }, dòng { $line }: { $problem }{ $value }.
}
problem-empty-file = tệp không có dữ liệu
problem-unknown-status = trạng thái thuật ngữ không có trong danh mục (ưu tiên, chấp nhận, không khuyến khích, cấm)
problem-no-term = dòng có dữ liệu nhưng không có thuật ngữ nào
problem-no-terms-in-file = tệp không có thuật ngữ nào bằng ngôn ngữ đã có trong danh mục
problem-invalid-row = dữ liệu không hợp lệ
problem-unknown-language = ngôn ngữ chưa có trong danh mục
problem-no-lang = thiếu thuộc tính xml:lang
problem-no-term-text = mục thuật ngữ không có thẻ <term>
problem-not-tbx = đây không phải tệp TBX
error-cancelled = Đã hủy.
problem-audio-empty = tệp không có âm thanh
problem-audio-unsupported = định dạng âm thanh không đọc được
problem-audio-corrupt = tệp âm thanh bị hỏng
problem-audio-too-long = âm thanh dài quá giới hạn
field-target-lufs = Độ to mục tiêu (LUFS)
field-true-peak = Đỉnh thật (dBTP)
field-sample-rate = Tần số lấy mẫu
field-bitrate = Tốc độ bit
field-audio = Âm thanh
reason-silent = chỉ có im lặng
problem-device-failed = micro không dùng được
field-microphone = Micro
reason-none = không tìm thấy thiết bị thu âm nào
field-seconds = Số giây
what-take = bản ghi
field-take-name = Tên bản ghi
field-recording = Ghi âm
reason-busy = đang ghi một bản khác
reason-not-running = chưa bắt đầu
problem-output-failed = không phát được ra loa của máy
field-edit = Chỉnh sửa bản ghi
field-threshold = Ngưỡng im lặng
reason-nothing-left = sẽ không còn gì để phát
reason-nothing-to-undo = không còn gì để hoàn tác
reason-nothing-to-redo = không còn gì để làm lại
field-file = Tệp
field-model = Mô hình nhận dạng giọng nói
field-model-name = Tên mô hình
field-quantization = Kiểu lượng tử hóa
reason-unreadable = không đọc được
problem-model-unreadable = không phải mô hình Whisper đọc được
problem-model-write-failed = không ghi được tệp mô hình
problem-transcription-failed = nhận dạng giọng nói bị lỗi
reason-none-installed = chưa có mô hình nào; hãy nhập một mô hình Whisper (lệnh loa model import, hoặc Cài đặt)
what-transcript = bản chép lời
what-line = dòng
field-time = Thời điểm
reason-before-start = trước lúc dòng bắt đầu
field-transcript = Bản chép lời
reason-untimed = chưa có dòng nào được canh giờ
field-reading = Bản đọc
field-script = Kịch bản
field-beam-size = Độ rộng tìm kiếm (beam)
field-threads = Số luồng xử lý
reason-no-speech-model = chưa có mô hình nhận dạng cho ngôn ngữ này; hãy dùng canh giờ thủ công
what-model = mô hình
