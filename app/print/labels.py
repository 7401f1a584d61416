"""Printed labels, Vietnamese by default and English on request.

Why a local dict rather than the message catalogue: these are the fixed wordings of the
legal forms, kept together so a reviewer can compare them against the circular at a glance.
The two marks (copy, not synced) are bilingual in both languages on purpose: whoever picks a
reprint up should see it is one, whatever language it was printed in.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "motto_1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto_2": "Độc lập - Tự do - Hạnh phúc",
        "form_no": "Mẫu số {number}",
        "form_basis": "(Ban hành kèm theo {basis})",
        "doc_no": "Số: {no}",
        "place_date": "{place}, ngày {d:02d} tháng {m:02d} năm {y}",
        "place_date_blank": "{place}, ngày ..... tháng ..... năm .....",
        "date_noplace": "Ngày {d:02d} tháng {m:02d} năm {y}",
        "date_noplace_blank": "Ngày ..... tháng ..... năm .....",
        "title_receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "title_supplement": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "title_refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "title_apology": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "title_control": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "title_stop": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "stop_body": (
            "{unit} đã tiếp nhận hồ sơ của Ông/Bà lúc {received}, thủ tục: {procedure}; "
            "mã hồ sơ: {code}."
        ),
        "stop_notice": (
            "Theo đề nghị rút hồ sơ của Ông/Bà, {unit} thông báo dừng giải quyết hồ sơ "
            "nêu trên kể từ {stopped}."
        ),
        "stop_reason": "Lý do: {reason}",
        "title_logbook": "SỔ THEO DÕI HỒ SƠ",
        "dossier_code": "Mã hồ sơ",
        "copy_1": "Liên 1: lưu",
        "copy_2": "Liên 2: giao người nộp",
        "mark_copy": "BẢN SAO",
        "mark_unsynced": "Chưa đồng bộ",
        "received_from": "{unit} tiếp nhận hồ sơ của:",
        "dossier_of": "Hồ sơ của:",
        "mr_ms": "Ông/Bà",
        "address": "Địa chỉ",
        "phone": "Số điện thoại",
        "email": "Email",
        "request": "Nội dung yêu cầu giải quyết",
        "procedure_code": "mã TTHC",
        "item1": "1. Thành phần hồ sơ nộp gồm:",
        "col_no": "TT",
        "col_paper": "Tên giấy tờ",
        "col_kind": "Hình thức",
        "col_qty": "Số lượng",
        "form_code": "mẫu {code}",
        "item2": "2. Số lượng hồ sơ: {n} (bộ)",
        "item3": "3. Thời gian giải quyết hồ sơ theo quy định: {text}",
        "item4": "4. Thời gian nhận hồ sơ: {when}",
        "item5": "5. Thời gian trả kết quả giải quyết hồ sơ: {when}",
        "item6": "6. Đăng ký nhận kết quả tại: {text}",
        "when": "{H:02d} giờ {M:02d} phút, ngày {d:02d}/{m:02d}/{y}",
        "logbook_ref": "Vào Sổ theo dõi hồ sơ, Quyển số: {volume}, Số thứ tự: {entry}",
        "fee": "Phí, lệ phí: {fee}",
        "fee_none": "Không thu",
        "hotline": "Đường dây nóng: {hotline} - Điện thoại: {phone}",
        "hotline_only": "Đường dây nóng: {hotline}",
        "phone_only": "Điện thoại: {phone}",
        "bring_note": ("Ông/Bà vui lòng mang theo giấy này và giấy tờ tùy thân khi nhận kết quả."),
        "digitised": "Thành phần đã số hóa (lưu bản điện tử khi tiếp nhận): {items}.",
        "digitised_item": "{n} ({pages} trang)",
        "sign_hint": "(Ký và ghi rõ họ tên)",
        "sign_applicant": "NGƯỜI NỘP HỒ SƠ",
        "sign_receiver": "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "sign_guide": "NGƯỜI HƯỚNG DẪN",
        "sign_head": "THỦ TRƯỞNG CƠ QUAN",
        "sign_head_hint": "(Ký, ghi rõ họ tên và đóng dấu)",
        "supp_intro": (
            "Sau khi xem xét hồ sơ, {unit} yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung sau:"
        ),
        "reason": "Lý do: {reason}",
        "supp_contact": (
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với "
            "{officer}, số điện thoại {phone} để được hướng dẫn."
        ),
        "supp_contact_nophone": (
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với "
            "{officer} để được hướng dẫn."
        ),
        "supp_once": "Các nội dung trên được hướng dẫn đầy đủ một lần.",
        "refusal_intro": (
            "Theo quy định, hồ sơ của Ông/Bà không đủ điều kiện để giải quyết. {unit} "
            "thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:"
        ),
        "refusal_end": "Xin thông báo để Ông/Bà được biết và thực hiện./.",
        "to": "Kính gửi: Ông/Bà {name}",
        "apology_body": (
            "{unit} tiếp nhận hồ sơ của Ông/Bà ngày {received}, giải quyết thủ tục "
            "hành chính: {procedure}; Mã hồ sơ: {code}."
        ),
        "apology_due": (
            "Thời hạn trả kết quả hẹn trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả: {due}."
        ),
        "apology_reason": "Tuy nhiên đến nay chưa trả kết quả giải quyết hồ sơ do: {reason}",
        "apology_sorry": (
            "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {unit} xin lỗi Ông/Bà và hẹn "
            "lại thời gian trả kết quả vào:"
        ),
        "apology_thanks": "Xin trân trọng cảm ơn./.",
        "apology_late": (
            "Ghi chú: văn bản này lập sau thời hạn chậm nhất 01 ngày làm việc trước ngày hẹn "
            "trả kết quả (Nghị định 61/2018/NĐ-CP Điều 19 khoản 9)."
        ),
        "ctl_attached": "Gắn kèm theo hồ sơ của: Ông/Bà {name}",
        "ctl_lead": "Cơ quan (bộ phận) giải quyết hồ sơ: {name}",
        "ctl_coord": "Cơ quan phối hợp giải quyết hồ sơ: {name}",
        "ctl_col_body": "TÊN CƠ QUAN",
        "ctl_col_time": "THỜI GIAN GIAO, NHẬN HỒ SƠ",
        "ctl_col_result": "KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
        "ctl_col_note": "GHI CHÚ",
        "ctl_give": "Giao: {name}",
        "ctl_take": "Nhận: {name}",
        "ctl_time": "{H:02d} giờ {M:02d} phút, ngày {d:02d}/{m:02d}/{y}",
        "ctl_signs": "Người giao          Người nhận",
        "result_early": "Trước hạn",
        "result_on_time": "Đúng hạn",
        "result_late": "Quá hạn",
        "result_pending": "",
        "lb_year_volume": "Năm {year} - Quyển số: {volume}",
        "lb_period": "Từ ngày {d1} đến ngày {d2}",
        "lb_page": "Trang {n}",
        "lb_stt": "STT",
        "lb_code": "Mã hồ sơ",
        "lb_procedure": "Tên TTHC",
        "lb_sets": "Số lượng hồ sơ (bộ)",
        "lb_applicant": "Tên cá nhân, tổ chức",
        "lb_address": "Địa chỉ, số điện thoại",
        "lb_lead": "Cơ quan chủ trì giải quyết",
        "lb_dates": "Ngày, tháng",
        "lb_received": "Nhận hồ sơ",
        "lb_due": "Hẹn trả kết quả",
        "lb_transferred": "Chuyển hồ sơ đến cơ quan giải quyết",
        "lb_result": "Nhận kết quả từ cơ quan giải quyết",
        "lb_returned": "Trả kết quả cho cá nhân, tổ chức",
        "lb_sign": "Ký nhận",
        "lb_note": "Ghi chú",
        "lb_empty": "(Không có hồ sơ trong kỳ)",
    },
    "en": {
        "motto_1": "SOCIALIST REPUBLIC OF VIET NAM",
        "motto_2": "Independence - Freedom - Happiness",
        "form_no": "Form {number}",
        "form_basis": "(Issued with {basis})",
        "doc_no": "No.: {no}",
        "place_date": "{place}, {d:02d}/{m:02d}/{y}",
        "place_date_blank": "{place}, ..../..../........",
        "date_noplace": "{d:02d}/{m:02d}/{y}",
        "date_noplace_blank": "..../..../........",
        "title_receipt": "DOSSIER RECEIPT AND APPOINTMENT SLIP",
        "title_supplement": "REQUEST TO SUPPLEMENT AND COMPLETE THE DOSSIER",
        "title_refusal": "NOTICE OF REFUSAL TO RECEIVE THE DOSSIER",
        "title_apology": "APOLOGY AND NEW APPOINTMENT FOR THE RESULT",
        "title_control": "DOSSIER PROCESSING CONTROL SHEET",
        "title_stop": "NOTICE OF STOPPING THE DOSSIER",
        "stop_body": (
            "{unit} received your dossier on {received} for the procedure: {procedure}; "
            "dossier code: {code}."
        ),
        "stop_notice": (
            "At your request to withdraw it, {unit} stops settling the dossier above from "
            "{stopped}."
        ),
        "stop_reason": "Reason: {reason}",
        "title_logbook": "DOSSIER LOG BOOK",
        "dossier_code": "Dossier code",
        "copy_1": "Copy 1: kept on file",
        "copy_2": "Copy 2: for the applicant",
        "mark_copy": "COPY",
        "mark_unsynced": "Not yet synced",
        "received_from": "{unit} has received the dossier of:",
        "dossier_of": "Dossier of:",
        "mr_ms": "Mr/Ms",
        "address": "Address",
        "phone": "Phone",
        "email": "Email",
        "request": "Procedure requested",
        "procedure_code": "procedure code",
        "item1": "1. Components submitted:",
        "col_no": "No.",
        "col_paper": "Document",
        "col_kind": "Form",
        "col_qty": "Qty",
        "form_code": "form {code}",
        "item2": "2. Number of sets: {n}",
        "item3": "3. Statutory processing time: {text}",
        "item4": "4. Received at: {when}",
        "item5": "5. Result due at: {when}",
        "item6": "6. Result to be collected: {text}",
        "when": "{H:02d}:{M:02d}, {d:02d}/{m:02d}/{y}",
        "logbook_ref": "Entered in the log book, volume: {volume}, entry no.: {entry}",
        "fee": "Fees and charges: {fee}",
        "fee_none": "None",
        "hotline": "Hotline: {hotline} - Phone: {phone}",
        "hotline_only": "Hotline: {hotline}",
        "phone_only": "Phone: {phone}",
        "bring_note": (
            "Please bring this slip and your identity document when collecting the result."
        ),
        "digitised": "Components digitised (kept electronically at reception): {items}.",
        "digitised_item": "{n} ({pages} pages)",
        "sign_hint": "(Signature and full name)",
        "sign_applicant": "APPLICANT",
        "sign_receiver": "RECEIVING OFFICER",
        "sign_guide": "GUIDING OFFICER",
        "sign_head": "HEAD OF AGENCY",
        "sign_head_hint": "(Signature, full name and seal)",
        "supp_intro": (
            "Having examined the dossier, {unit} asks you to complete it with the following:"
        ),
        "reason": "Reason: {reason}",
        "supp_contact": (
            "If anything is unclear while completing the dossier, please contact {officer}, "
            "phone {phone}, for guidance."
        ),
        "supp_contact_nophone": (
            "If anything is unclear while completing the dossier, please contact {officer} "
            "for guidance."
        ),
        "supp_once": "All of the above is given in full, once.",
        "refusal_intro": (
            "Under the regulations your dossier does not qualify. {unit} gives notice that "
            "it does not receive or process this dossier, for the following reason:"
        ),
        "refusal_end": "For your information./.",
        "to": "To: Mr/Ms {name}",
        "apology_body": (
            "{unit} received your dossier on {received} for the procedure: {procedure}; "
            "dossier code: {code}."
        ),
        "apology_due": "The result was due, as stated on the receipt, at: {due}.",
        "apology_reason": "The result has not yet been returned because: {reason}",
        "apology_sorry": (
            "We regret the inconvenience caused. {unit} apologises and sets a new "
            "appointment for the result at:"
        ),
        "apology_thanks": "Thank you./.",
        "apology_late": (
            "Note: this letter was made later than 01 working day before the result was due "
            "(Decree 61/2018/ND-CP Art. 19(9))."
        ),
        "ctl_attached": "Attached to the dossier of: Mr/Ms {name}",
        "ctl_lead": "Body processing the dossier: {name}",
        "ctl_coord": "Coordinating body: {name}",
        "ctl_col_body": "BODY",
        "ctl_col_time": "HAND-OVER TIME",
        "ctl_col_result": "RESULT",
        "ctl_col_note": "NOTE",
        "ctl_give": "From: {name}",
        "ctl_take": "To: {name}",
        "ctl_time": "{H:02d}:{M:02d}, {d:02d}/{m:02d}/{y}",
        "ctl_signs": "Handed over        Received",
        "result_early": "Early",
        "result_on_time": "On time",
        "result_late": "Late",
        "result_pending": "",
        "lb_year_volume": "Year {year} - Volume: {volume}",
        "lb_period": "From {d1} to {d2}",
        "lb_page": "Page {n}",
        "lb_stt": "No.",
        "lb_code": "Dossier code",
        "lb_procedure": "Procedure",
        "lb_sets": "Sets",
        "lb_applicant": "Applicant",
        "lb_address": "Address, phone",
        "lb_lead": "Lead body",
        "lb_dates": "Dates",
        "lb_received": "Received",
        "lb_due": "Due",
        "lb_transferred": "Sent to the processing body",
        "lb_result": "Result received from the body",
        "lb_returned": "Returned to the applicant",
        "lb_sign": "Signature",
        "lb_note": "Note",
        "lb_empty": "(No dossiers in this period)",
    },
}


def label(key: str, lang: str = "vi", **kwargs: object) -> str:
    """The label in `lang` (falls back to Vietnamese), formatted with `kwargs`."""
    texts = LABELS.get(lang, LABELS["vi"])
    text = texts.get(key) or LABELS["vi"][key]
    return text.format(**kwargs) if kwargs else text
