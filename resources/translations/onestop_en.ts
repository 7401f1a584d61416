<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="vi_VN">
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../../app/ui/dialogs.py" line="18"/>
        <source>Có</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="18"/>
        <source>Không</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="19"/>
        <source>Đồng ý</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>DossierList</name>
    <message>
        <source>Quá hạn (ngày)</source>
        <translation>Days overdue</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="107"/>
        <source>Mã hồ sơ</source>
        <extracomment>Role with the ListRow of a row.</extracomment>
        <translation>Dossier code</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="108"/>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="109"/>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="110"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="111"/>
        <source>Ngày nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="112"/>
        <source>Hẹn trả</source>
        <translation>Due</translation>
    </message>
</context>
<context>
    <name>DossierListWidget</name>
    <message>
        <source>Không có hồ sơ nào khớp với điều kiện tìm.</source>
        <translation>No dossier matches the search.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="265"/>
        <source>Tìm theo mã hồ sơ, số định danh, điện thoại hoặc họ tên (Ctrl+F)</source>
        <translation>Search by dossier code, ID number, phone or name (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="268"/>
        <source>Mọi trạng thái</source>
        <translation>Any status</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="270"/>
        <source>Đã tiếp nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="271"/>
        <source>Đang giải quyết</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="272"/>
        <source>Chờ bổ sung</source>
        <translation>Awaiting supplement</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="273"/>
        <source>Có kết quả</source>
        <translation>Result ready</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="274"/>
        <source>Đã trả kết quả</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="275"/>
        <source>Từ chối</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="276"/>
        <source>Đã huỷ</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="281"/>
        <source>Mọi hạn trả</source>
        <translation>Any due date</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="282"/>
        <source>Hẹn trả hôm nay</source>
        <translation>Due today</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="283"/>
        <source>Đến hạn trong 2 ngày làm việc</source>
        <translation>Due within 2 working days</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="284"/>
        <source>Quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="288"/>
        <source>Mọi thủ tục</source>
        <translation>Any procedure</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="292"/>
        <source>Nhận từ</source>
        <translation>Received from</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="300"/>
        <source>Mọi quầy</source>
        <translation>All desks</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="301"/>
        <source>Quầy này</source>
        <translation>This desk</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="302"/>
        <source>Tôi tiếp nhận</source>
        <translation>Received by me</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="335"/>
        <source>đến</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="357"/>
        <source>Đang đếm…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_list.py" line="367"/>
        <source>{n} hồ sơ</source>
        <translation>{n} dossiers</translation>
    </message>
</context>
<context>
    <name>DossierView</name>
    <message>
        <source>Giấy ủy quyền:</source>
        <translation>Authorisation:</translation>
    </message>
    <message>
        <source>Số định danh người nhận:</source>
        <translation>Collector's ID number:</translation>
    </message>
    <message>
        <source>Người nhận kết quả:</source>
        <translation>Collected by:</translation>
    </message>
    <message>
        <source>Để trống nếu chính người nộp nhận; số, ngày giấy ủy quyền nếu nhận thay</source>
        <translation>Empty when the applicant collects; number and date of the authorisation otherwise</translation>
    </message>
    <message>
        <source>In mẫu khác…</source>
        <translation>Print another form…</translation>
    </message>
    <message>
        <source>Quá hạn {n} ngày</source>
        <translation>{n} days overdue</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="53"/>
        <source>chưa gửi</source>
        <translation>not sent</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="54"/>
        <source>chờ gửi</source>
        <translation>queued</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="55"/>
        <source>đã gửi</source>
        <translation>sent</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="56"/>
        <source>đã nhận</source>
        <translation>accepted</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="57"/>
        <source>bị từ chối</source>
        <translation>rejected</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="58"/>
        <source>đã gác lại</source>
        <translation>set aside</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="64"/>
        <source>Chuyển xử lý</source>
        <extracomment>Action → (button text, needs: &quot;&quot; | &quot;reason&quot; | &quot;consignment&quot; | &quot;reschedule&quot; | &quot;feedback&quot; | &quot;supplement&quot; | &quot;items&quot;).</extracomment>
        <translation>Transfer for processing</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="65"/>
        <source>Đã có kết quả</source>
        <translation>Result ready</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="66"/>
        <source>Trả kết quả tại quầy</source>
        <translation>Return at the desk</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="67"/>
        <source>Trả qua bưu chính</source>
        <translation>Return by post</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="68"/>
        <source>Yêu cầu bổ sung</source>
        <translation>Request supplement</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="69"/>
        <source>Nhận hồ sơ bổ sung</source>
        <translation>Receive supplement</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="70"/>
        <source>Từ chối</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="71"/>
        <source>Hẹn lại ngày trả</source>
        <translation>Reschedule</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="72"/>
        <source>Huỷ hồ sơ</source>
        <translation>Cancel dossier</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="73"/>
        <source>Ghi đánh giá hài lòng</source>
        <translation>Record satisfaction rating</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="76"/>
        <source>Tiếp cận dịch vụ</source>
        <translation>Access to the service</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="77"/>
        <source>Thời gian giải quyết</source>
        <translation>Processing time</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="78"/>
        <source>Thái độ, năng lực cán bộ</source>
        <translation>Officer&apos;s attitude and competence</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="79"/>
        <source>Tiếp nhận, xử lý góp ý</source>
        <translation>Handling of feedback</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="112"/>
        <source>Thời điểm</source>
        <extracomment>desk id → name for the desks this machine knows (its own); others show a short id.</extracomment>
        <translation>When</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="113"/>
        <source>Sự kiện</source>
        <translation>Event</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="114"/>
        <source>Cán bộ</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="115"/>
        <source>Quầy</source>
        <translation>Desk</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="116"/>
        <source>Đồng bộ</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="155"/>
        <source>Hồ sơ</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="194"/>
        <source>In lại phiếu (Ctrl+P)</source>
        <translation>Reprint (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="196"/>
        <source>Phiếu kiểm soát</source>
        <translation>Control sheet</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="211"/>
        <source>&amp;Xác nhận</source>
        <translation>&amp;Confirm</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="214"/>
        <source>&amp;Bỏ qua</source>
        <translation>&amp;Dismiss</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="226"/>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="228"/>
        <source>Thành phần đã nhận</source>
        <translation>Components received</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="232"/>
        <source>Lịch sử xử lý</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="257"/>
        <source>Hồ sơ {code}</source>
        <translation>Dossier {code}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="260"/>
        <source>(hẹn lại; hẹn ban đầu {d})</source>
        <translation>(rescheduled; first due {d})</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="266"/>
        <source>⚠ Có sự kiện mâu thuẫn: cần giám sát viên xem xét.</source>
        <translation>⚠ Conflicting events: a supervisor must review.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="274"/>
        <source>&lt;span style=&apos;font-size:14pt&apos;&gt;&lt;b&gt;{code}&lt;/b&gt;&lt;/span&gt; — &lt;b&gt;{status}&lt;/b&gt;&lt;br&gt;{proc_code} — {proc}&lt;br&gt;Danh mục phiên bản {ver} · Nhận lúc {received} · Hẹn trả: &lt;b&gt;{due}&lt;/b&gt;</source>
        <translation>&lt;span style=&apos;font-size:14pt&apos;&gt;&lt;b&gt;{code}&lt;/b&gt;&lt;/span&gt; — &lt;b&gt;{status}&lt;/b&gt;&lt;br&gt;{proc_code} — {proc}&lt;br&gt;Catalogue version {ver} · Received {received} · Due: &lt;b&gt;{due}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="289"/>
        <source>Nam</source>
        <translation>Male</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="289"/>
        <source>Nữ</source>
        <translation>Female</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="293"/>
        <source>Số định danh: {v}</source>
        <translation>ID number: {v}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="294"/>
        <source>Mã số BHXH: {v}</source>
        <translation>Social insurance no.: {v}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="295"/>
        <source>Ngày sinh: {v} · Giới tính: {s}</source>
        <translation>Born: {v} · Sex: {s}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="298"/>
        <source>Điện thoại: {v}</source>
        <translation>Phone: {v}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="299"/>
        <source>Địa chỉ: {v}</source>
        <translation>Address: {v}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="300"/>
        <source>Trả kết quả: {v}</source>
        <translation>Result returned: {v}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="302"/>
        <source>tại quầy</source>
        <translation>at the desk</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="303"/>
        <source>qua bưu chính</source>
        <translation>by post</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="304"/>
        <source>trực tuyến</source>
        <translation>online</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="316"/>
        <source>(không có)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="356"/>
        <location filename="../../app/ui/dossier_view.py" line="371"/>
        <source>Lý do:</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="361"/>
        <source>Số vận đơn bưu chính:</source>
        <translation>Postal consignment no.:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="369"/>
        <source>Ngày hẹn mới:</source>
        <translation>New due date:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="394"/>
        <source>2 — Hài lòng</source>
        <translation>2 — Satisfied</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="395"/>
        <source>1 — Bình thường</source>
        <translation>1 — Neutral</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="396"/>
        <source>0 — Không hài lòng</source>
        <translation>0 — Dissatisfied</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="402"/>
        <source>Chỉ số {k}: {name}</source>
        <translation>Index {k}: {name}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="405"/>
        <source>Đánh giá được lưu ẩn danh (không ghi người đánh giá).</source>
        <translation>Ratings are stored anonymously (no rater is recorded).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="483"/>
        <source>Cần ghi rõ lý do.</source>
        <translation>A reason is required.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="487"/>
        <source>Cần nhập số vận đơn.</source>
        <translation>Enter the consignment number.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="516"/>
        <source>Lỗi không mong đợi: {e}</source>
        <translation>Unexpected error: {e}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="0"/>
        <source>Dừng giải quyết (rút hồ sơ)</source>
        <translation>Stop (applicant withdraws)</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../app/ui/firstrun.py" line="47"/>
        <source>Thiết lập quầy lần đầu</source>
        <translation>First-time desk setup</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="54"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="55"/>
        <location filename="../../app/ui/firstrun.py" line="175"/>
        <source>Tiếp tục</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="77"/>
        <source>&lt;b&gt;Chào mừng.&lt;/b&gt; Máy này chưa có dữ liệu. Chọn cách quầy làm việc:</source>
        <translation>&lt;b&gt;Welcome.&lt;/b&gt; This computer has no data yet. Choose how this desk works:</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="79"/>
        <source>&amp;Làm việc độc lập (không có máy chủ trung tâm)</source>
        <translation>Work &amp;stand-alone (no central service)</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="80"/>
        <source>&amp;Kết nối với máy chủ trung tâm</source>
        <translation>&amp;Pair with a central service</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="92"/>
        <source>Địa chỉ máy chủ:</source>
        <translation>Central address:</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="93"/>
        <source>Mã quầy (token):</source>
        <translation>Desk token:</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="110"/>
        <source>&lt;b&gt;Thông tin quầy&lt;/b&gt;</source>
        <translation>&lt;b&gt;This desk&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="114"/>
        <source>Quầy 1</source>
        <translation>Desk 1</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="119"/>
        <source>Mã đơn vị:</source>
        <translation>Office code:</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="120"/>
        <source>Tên đơn vị:</source>
        <translation>Office name:</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="121"/>
        <source>Tên quầy:</source>
        <translation>Desk name:</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="122"/>
        <source>Số quầy:</source>
        <translation>Desk number:</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="133"/>
        <source>&lt;b&gt;Tài khoản quản trị đầu tiên&lt;/b&gt;</source>
        <translation>&lt;b&gt;First administrator&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="142"/>
        <source>Tên đăng nhập:</source>
        <translation>Username:</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="143"/>
        <source>Họ và tên:</source>
        <translation>Full name:</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="144"/>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="145"/>
        <source>Nhập lại mật khẩu:</source>
        <translation>Repeat password:</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="161"/>
        <source>&lt;b&gt;Đã thiết lập xong.&lt;/b&gt;&lt;br&gt;Dữ liệu của quầy: {data}&lt;br&gt;Nhật ký: {logs}&lt;br&gt;Hãy đăng nhập bằng tài khoản quản trị vừa tạo.</source>
        <translation>&lt;b&gt;Setup complete.&lt;/b&gt;&lt;br&gt;Desk data: {data}&lt;br&gt;Logs: {logs}&lt;br&gt;Sign in with the administrator account you just created.</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="175"/>
        <source>Hoàn tất</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="206"/>
        <source>Cần nhập địa chỉ máy chủ và mã quầy.</source>
        <translation>Enter the central address and the desk token.</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="208"/>
        <source>Đang kết nối…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="225"/>
        <source>Không kết nối được máy chủ: {reason}</source>
        <translation>Could not reach the central service: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/firstrun.py" line="253"/>
        <source>Hai mật khẩu không khớp.</source>
        <translation>The two passwords differ.</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>&lt;b&gt;Thông tin đơn vị in trên phiếu&lt;/b&gt;&lt;br&gt;Tiêu đề, địa danh, đường dây nóng và giờ trả kết quả in trên mọi phiếu giao cho người dân. Không ghi cấp huyện, quận (đã bỏ từ 01/07/2025).</source>
        <translation>&lt;b&gt;Office details printed on papers&lt;/b&gt;&lt;br&gt;The header, place, hotline and return hour are printed on every paper given to citizens. Do not name a district (abolished on 01/07/2025).</translation>
    </message>
    <message>
        <source>Lỗi không mong đợi: {e}</source>
        <translation>Unexpected error: {e}</translation>
    </message>
</context>
<context>
    <name>Intake</name>
    <message>
        <source>Yêu cầu: {kind}, {n} bản. Phím cách: đã nộp; số: số bản; ←/→: loại bản; C/K: có/không áp dụng</source>
        <translation>Required: {kind}, {n} copies. Space: handed in; digit: copies; ←/→: kind of copy; C/K (Y/N): applies or not</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="77"/>
        <source>Bản chính</source>
        <translation>Original</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="78"/>
        <source>Bản sao chứng thực</source>
        <translation>Certified copy</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="79"/>
        <source>Bản chụp</source>
        <translation>Photocopy</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="80"/>
        <source>Bản chính hoặc bản sao</source>
        <translation>Original or copy</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="109"/>
        <source>⚠ chưa xác nhận</source>
        <translation>⚠ unconfirmed</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="111"/>
        <source>một trong nhóm {g}</source>
        <translation>one of group {g}</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="116"/>
        <source>Yêu cầu: {kind}, {n} bản</source>
        <translation>Required: {kind}, {n}</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="134"/>
        <source>Áp dụng?</source>
        <translation>Applies?</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="135"/>
        <source>Có áp dụng</source>
        <translation>Applies</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="136"/>
        <source>Không áp dụng</source>
        <translation>Does not apply</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="140"/>
        <source>Khi: {c}</source>
        <translation>When: {c}</translation>
    </message>
</context>
<context>
    <name>IntakeWidget</name>
    <message>
        <source>Hồ sơ có thể trùng</source>
        <translation>Possible duplicate</translation>
    </message>
    <message>
        <source>Số định danh này đã nộp hồ sơ cùng thủ tục {proc} ngày {at} (mã {code}, trong vòng 30 ngày). Vẫn tiếp nhận hồ sơ mới?</source>
        <translation>This ID number filed the same procedure {proc} on {at} (code {code}, within 30 days). Receive a new dossier anyway?</translation>
    </message>
    <message>
        <source>Hồ sơ trước đây của số định danh này ({n}):</source>
        <translation>Earlier dossiers of this ID number ({n}):</translation>
    </message>
    <message>
        <source>Chưa xác định thành phần nào áp dụng: chọn Có/Không áp dụng.</source>
        <translation>Not yet decided which components apply: choose applies or not.</translation>
    </message>
    <message>
        <source>Chưa quyết định xong: chọn Có/Không áp dụng (phím C/K) cho:</source>
        <translation>Not decided yet: say whether these apply (keys Y/N):</translation>
    </message>
    <message>
        <source>Làm mới (F2)</source>
        <translation>Clear (F2)</translation>
    </message>
    <message>
        <source>Thành phần hồ sơ (F4)</source>
        <translation>Dossier components (F4)</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="183"/>
        <source>Gõ tên hoặc mã thủ tục, không cần dấu (vd: thai san)</source>
        <translation>Type a procedure name or code (e.g. maternity)</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="187"/>
        <location filename="../../app/ui/intake.py" line="659"/>
        <source>Chưa chọn thủ tục.</source>
        <translation>No procedure chosen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="193"/>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="202"/>
        <source>Người nộp hồ sơ</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="206"/>
        <source>12 số CCCD/định danh</source>
        <translation>12-digit citizen ID</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="213"/>
        <source>Nam</source>
        <translation>Male</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="214"/>
        <source>Nữ</source>
        <translation>Female</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="218"/>
        <source>— Tỉnh/thành phố —</source>
        <translation>— Province —</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="227"/>
        <source>Số nhà, đường, thôn/tổ</source>
        <translation>House number, street, hamlet</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="231"/>
        <source>&amp;Họ và tên:</source>
        <translation>Full &amp;name:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="232"/>
        <source>Số định &amp;danh:</source>
        <translation>&amp;ID number:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="233"/>
        <source>Mã số BHXH:</source>
        <translation>Social insurance no.:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="234"/>
        <source>Số thẻ BHYT:</source>
        <translation>Health insurance card:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="235"/>
        <source>Ngày sinh:</source>
        <translation>Date of birth:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="236"/>
        <source>Giới tính:</source>
        <translation>Sex:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="237"/>
        <source>Điện thoại:</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="238"/>
        <source>Thư điện tử:</source>
        <translation>Email:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="239"/>
        <source>Tỉnh/thành phố:</source>
        <translation>Province:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="240"/>
        <source>Xã/phường:</source>
        <translation>Commune/ward:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="241"/>
        <source>Địa chỉ:</source>
        <translation>Address:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="261"/>
        <source>Kênh nộp và trả kết quả</source>
        <translation>Channel and return</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="265"/>
        <source>Trực tiếp tại quầy</source>
        <translation>At the desk</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="266"/>
        <source>Qua bưu chính</source>
        <translation>By post</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="267"/>
        <location filename="../../app/ui/intake.py" line="275"/>
        <source>Trực tuyến</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="268"/>
        <source>Liên thông</source>
        <translation>Interconnected</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="273"/>
        <source>Nhận tại quầy</source>
        <translation>Collect at the desk</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="274"/>
        <source>Gửi qua bưu chính</source>
        <translation>Send by post</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="279"/>
        <source>Để trống: dùng địa chỉ người nộp</source>
        <translation>Empty: use the applicant&apos;s address</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="282"/>
        <source>Kênh nộp:</source>
        <translation>Channel:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="283"/>
        <source>Trả kết quả:</source>
        <translation>Return:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="284"/>
        <source>Địa chỉ nhận:</source>
        <translation>Return address:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="287"/>
        <source>Số bộ hồ sơ:</source>
        <translation>Sets:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="292"/>
        <source>Thành phần hồ sơ</source>
        <translation>Components</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="310"/>
        <source>Lý do từ chối / ghi chú yêu cầu bổ sung</source>
        <translation>Reason for refusal / note for the supplement request</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="312"/>
        <source>Tiếp nhận (F9)</source>
        <translation>Receive (F9)</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="313"/>
        <source>Yêu cầu bổ sung (F10)</source>
        <translation>Request supplement (F10)</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="314"/>
        <source>Từ chối (F11)</source>
        <translation>Refuse (F11)</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="315"/>
        <source>Làm mới</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="331"/>
        <source>Lý do:</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="391"/>
        <source>Ngày sinh không đọc được; nhập dd/mm/yyyy.</source>
        <translation>Unreadable date of birth; type dd/mm/yyyy.</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="450"/>
        <source>thành phần chưa xác nhận</source>
        <extracomment>The three outcomes, one key each; handled as key presses that the focused field passes up (no field uses F9-F11), so they work wherever the officer is in the form.</extracomment>
        <translation>components unconfirmed</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="470"/>
        <source>ngày làm việc</source>
        <translation>working days</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="471"/>
        <source>ngày</source>
        <translation>days</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="472"/>
        <source>giờ</source>
        <translation>hours</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="475"/>
        <source>Thời hạn giải quyết: {n} {unit}</source>
        <translation>Time limit: {n} {unit}</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="481"/>
        <source>Danh mục thành phần của thủ tục này chưa được xác nhận: đối chiếu văn bản.</source>
        <translation>This procedure&apos;s component list is unconfirmed: check the legal text.</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="523"/>
        <source>Chọn thủ tục để hiện danh sách thành phần.</source>
        <translation>Choose a procedure to list its components.</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="533"/>
        <source>Chưa xác định có áp dụng: {name}</source>
        <translation>Not yet stated whether it applies: {name}</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="546"/>
        <source>Hồ sơ đủ thành phần.</source>
        <translation>The dossier is complete.</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="554"/>
        <source>Chưa đủ ({n}):</source>
        <translation>Incomplete ({n}):</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="569"/>
        <source>Chọn thủ tục trước.</source>
        <translation>Choose a procedure first.</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="578"/>
        <source>Hồ sơ chưa đủ: dùng Yêu cầu bổ sung (F10) hoặc Từ chối (F11).</source>
        <translation>Incomplete: use Request supplement (F10) or Refuse (F11).</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="582"/>
        <source>Hồ sơ đã đủ: dùng Tiếp nhận (F9).</source>
        <translation>Complete: use Receive (F9).</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="585"/>
        <source>Cần ghi rõ lý do từ chối.</source>
        <translation>A refusal needs a reason.</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="623"/>
        <source>Lỗi không mong đợi: {e}</source>
        <translation>Unexpected error: {e}</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="0"/>
        <source>— chọn người nộp —</source>
        <translation>— choose who files —</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="0"/>
        <source>Đơn vị sử dụng lao động nộp</source>
        <translation>Filed by the employer</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="0"/>
        <source>Người lao động tự nộp</source>
        <translation>Filed by the worker herself</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="0"/>
        <source>Người nộp:</source>
        <translation>Filed by:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="0"/>
        <source>ngày, không kể ngày nghỉ lễ, tết</source>
        <translation>days, not counting public holidays and Tết</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="0"/>
        <source>Thời hạn giải quyết: {limits}</source>
        <translation>Time limit: {limits}</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="0"/>
        <source>9 số, nếu người nộp còn giữ</source>
        <translation>9 digits, if the applicant still has it</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="0"/>
        <source>Số CMND cũ:</source>
        <translation>Old ID number:</translation>
    </message>
    <message>
        <location filename="../../app/ui/intake.py" line="0"/>
        <source>Chỉ nộp trực tuyến</source>
        <translation>Filed online only</translation>
    </message>
    <message>
        <source>Không có thủ tục {code} trong danh mục hiện hành.</source>
        <translation>No procedure {code} in the current catalogue.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Nhận gửi qua bưu điện</source>
        <translation>&amp;Post-office intake</translation>
    </message>
    <message>
        <source>&amp;Giao nhận, phát kết quả</source>
        <translation>&amp;Hand-over and delivery</translation>
    </message>
    <message>
        <source>Gửi &amp;kết quả qua bưu điện (biên bản)…</source>
        <translation>Send &amp;results by post (record)…</translation>
    </message>
    <message>
        <source>Mã biên bản không đọc được</source>
        <translation>The record's code cannot be read</translation>
    </message>
    <message>
        <source>Hãy quét mã vạch của biên bản giao nhận trước các mã QR từng dòng.</source>
        <translation>Scan the hand-over record's barcode before its row QR codes.</translation>
    </message>
    <message>
        <source>Đồng &amp;bộ với máy chủ…</source>
        <translation>&amp;Sync with the central service…</translation>
    </message>
    <message>
        <source>&amp;Báo cáo</source>
        <translation>&amp;Reports</translation>
    </message>
    <message>
        <source>&amp;Kiểm soát hồ sơ đến hạn, quá hạn</source>
        <translation>&amp;Overdue control</translation>
    </message>
    <message>
        <source>&amp;Báo cáo, biểu II.06a…</source>
        <translation>&amp;Reports, form II.06a…</translation>
    </message>
    <message>
        <source>Quá hạn: {o} · Đến hạn hôm nay: {t} · Chờ trả: {r}</source>
        <translation>Overdue: {o} · Due today: {t} · To return: {r}</translation>
    </message>
    <message>
        <source>Ngày làm việc tiếp theo: {n} · Chờ bổ sung lâu: {s}</source>
        <translation>Next working day: {n} · Long supplement waits: {s}</translation>
    </message>
    <message>
        <source>Máy chủ từ chối quầy: {reason}</source>
        <translation>The central service refused this desk: {reason}</translation>
    </message>
    <message>
        <source>Lỗi máy chủ trung tâm (sẽ thử lại)</source>
        <translation>Central service error (will retry)</translation>
    </message>
    <message>
        <source>hàng đợi không di chuyển</source>
        <translation>queue not moving</translation>
    </message>
    <message>
        <source>Mã quét bị bộ gõ tiếng Việt sửa: tắt bộ gõ (Unikey/EVKey: chuyển sang E) rồi quét lại.</source>
        <translation>The scan was rewritten by the Vietnamese input method: switch it off (Unikey/EVKey: to E) and scan again.</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="40"/>
        <source>{n} phút</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="41"/>
        <source>{h} giờ {m} phút</source>
        <translation>{h} h {m} min</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="78"/>
        <source>Một cửa — Bộ phận tiếp nhận và trả kết quả</source>
        <translation>One-stop — reception and results desk</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="85"/>
        <source>&amp;Tiếp nhận hồ sơ</source>
        <translation>&amp;Intake</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="86"/>
        <source>&amp;Danh sách hồ sơ</source>
        <translation>&amp;Dossiers</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="137"/>
        <source>&amp;Hồ sơ</source>
        <translation>&amp;Dossier</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="138"/>
        <source>Hồ sơ &amp;mới</source>
        <translation>&amp;New dossier</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="139"/>
        <source>&amp;Tìm hồ sơ</source>
        <translation>&amp;Find dossier</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="141"/>
        <source>&amp;In lại phiếu vừa lập</source>
        <translation>&amp;Print the last form again</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="144"/>
        <source>Làm mới danh sách</source>
        <translation>Refresh list</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="146"/>
        <source>&amp;Khoá màn hình</source>
        <translation>&amp;Lock screen</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="147"/>
        <source>T&amp;hoát</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="153"/>
        <source>&amp;Quản trị</source>
        <translation>&amp;Administration</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="155"/>
        <source>&amp;Cán bộ và vai trò…</source>
        <translation>&amp;Officers and roles…</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="159"/>
        <source>Cài đặt &amp;quầy…</source>
        <translation>Desk &amp;settings…</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="161"/>
        <source>Trợ &amp;giúp</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="162"/>
        <source>&amp;Giới thiệu</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="184"/>
        <location filename="../../app/ui/mainwindow.py" line="394"/>
        <source>Cán bộ: {name} ({role})</source>
        <translation>Officer: {name} ({role})</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="189"/>
        <source>Quầy: {desk}</source>
        <translation>Desk: {desk}</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="191"/>
        <location filename="../../app/ui/mainwindow.py" line="227"/>
        <source>Chưa kết nối máy chủ</source>
        <translation>Not connected to the central service</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="200"/>
        <source>cán bộ</source>
        <translation>officer</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="201"/>
        <source>giám sát</source>
        <translation>supervisor</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="202"/>
        <source>quản trị</source>
        <translation>administrator</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="225"/>
        <source>Làm việc độc lập (chưa kết nối máy chủ)</source>
        <translation>Stand-alone (not paired)</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="230"/>
        <source>Trực tuyến</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="230"/>
        <source>Mất kết nối</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="232"/>
        <source>Chờ đồng bộ: {n}</source>
        <translation>Waiting to sync: {n}</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="234"/>
        <source>(cũ nhất {age})</source>
        <translation>(oldest {age})</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="237"/>
        <source>Đồng bộ lần cuối: {at}</source>
        <translation>Last sync: {at}</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="238"/>
        <location filename="../../app/ui/mainwindow.py" line="423"/>
        <source>chưa có</source>
        <translation>never</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="265"/>
        <source>Đã tiếp nhận hồ sơ</source>
        <translation>Dossier received</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="266"/>
        <source>Đã lập phiếu yêu cầu bổ sung</source>
        <translation>Supplement request made</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="267"/>
        <source>Đã lập phiếu từ chối</source>
        <translation>Refusal made</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="269"/>
        <source>Mã hồ sơ: {code}</source>
        <translation>Dossier code: {code}</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="271"/>
        <source>Hẹn trả kết quả: {d}</source>
        <translation>Result due: {d}</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="290"/>
        <source>Chưa có phiếu nào để in.</source>
        <translation>Nothing to print yet.</translation>
    </message>
    <message>
        <source>Đang lưu bản số hóa; phiếu tiếp nhận sẽ in khi lưu xong…</source>
        <translation>Storing the digitised pages; the receipt prints once they are stored…</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="303"/>
        <source>Nếu máy quét đang gõ qua bàn phím, hãy tắt bộ gõ tiếng Việt (Unikey/EVKey: chuyển sang E) hoặc dùng chế độ cổng COM trong Cài đặt quầy.</source>
        <translation>If the scanner types as a keyboard, switch the Vietnamese input method off (Unikey/EVKey: switch to E) or use serial (COM) mode in Desk settings.</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="306"/>
        <source>Không đọc được mã QR trên CCCD</source>
        <translation>Could not read the ID card QR code</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="311"/>
        <source>Đã điền thông tin từ thẻ CCCD: kiểm tra lại trước khi tiếp nhận.</source>
        <translation>Filled from the ID card: check before receiving.</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="319"/>
        <source>Mã quét bị sai ký tự</source>
        <translation>Garbled scan</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="321"/>
        <source>Bộ gõ tiếng Việt đã sửa các ký tự máy quét gửi vào. Hãy tắt bộ gõ tiếng Việt (Unikey/EVKey: chuyển sang E) rồi quét lại, hoặc dùng chế độ cổng COM trong Cài đặt quầy.</source>
        <translation>The Vietnamese input method rewrote the scanner&apos;s keystrokes. Switch it off (Unikey/EVKey: switch to E) and scan again, or use serial (COM) mode in Desk settings.</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="328"/>
        <source>Mã quét không phải mã hồ sơ: {t}</source>
        <translation>The scan is not a dossier code: {t}</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="340"/>
        <source>Không tìm thấy hồ sơ</source>
        <translation>Dossier not found</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="341"/>
        <source>Không có hồ sơ mã {code} trong máy này.</source>
        <translation>No dossier {code} on this desk.</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="415"/>
        <source>&lt;b&gt;Một cửa&lt;/b&gt; — phiên bản {version}&lt;br&gt;Thư mục dữ liệu: {data}&lt;br&gt;Nhật ký: {logs}&lt;br&gt;Máy chủ trung tâm: {central}&lt;br&gt;Đồng bộ lần cuối: {last}</source>
        <translation>&lt;b&gt;One-stop&lt;/b&gt; — version {version}&lt;br&gt;Data folder: {data}&lt;br&gt;Logs: {logs}&lt;br&gt;Central service: {central}&lt;br&gt;Last sync: {last}</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="422"/>
        <source>(làm việc độc lập)</source>
        <translation>(stand-alone)</translation>
    </message>
    <message>
        <location filename="../../app/ui/mainwindow.py" line="427"/>
        <source>Giới thiệu</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Thông tin &amp;đơn vị in trên phiếu…</source>
        <translation>&amp;Office details printed on papers…</translation>
    </message>
    <message>
        <source>&amp;Sao lưu và khôi phục…</source>
        <translation>&amp;Back up and restore…</translation>
    </message>
    <message>
        <source>Cho phép &amp;vượt giới hạn (giám sát viên)…</source>
        <translation>&amp;Override a limit (supervisor)…</translation>
    </message>
    <message>
        <source>⛔ Không tiếp nhận được: {why}</source>
        <translation>⛔ Intake blocked: {why}</translation>
    </message>
    <message>
        <source>Không sao lưu được vào {dir}</source>
        <translation>Could not back up to {dir}</translation>
    </message>
    <message>
        <source>⚠ Chưa có bản sao lưu</source>
        <translation>⚠ No backup yet</translation>
    </message>
    <message>
        <source>⚠ Sao lưu gần nhất đã {age}</source>
        <translation>⚠ Last backup {age}</translation>
    </message>
    <message>
        <source>Đã khôi phục</source>
        <translation>Restored</translation>
    </message>
    <message>
        <source>Đã khôi phục {name}. Dữ liệu trước đó được giữ ở {aside}.
Chương trình sẽ đóng; hãy mở lại.</source>
        <translation>Restored {name}. The previous data is kept at {aside}.
The program will close; open it again.</translation>
    </message>
    <message>
        <source>Không khôi phục được</source>
        <translation>Could not restore</translation>
    </message>
    <message>
        <source>Biên bản giao nhận ký nhận &amp;hai lần (giám sát viên)…</source>
        <translation>Hand-over records signed &amp;twice (supervisor)…</translation>
    </message>
    <message>
        <source>Lịch sử &amp;bưu gửi…</source>
        <translation>Consignment &amp;history…</translation>
    </message>
    <message>
        <source>Cơ quan phục vụ và biểu cước &amp;bưu chính…</source>
        <translation>Agencies served and &amp;postal fees…</translation>
    </message>
</context>
<context>
    <name>Officers</name>
    <message>
        <location filename="../../app/ui/officers.py" line="41"/>
        <source>Cán bộ tiếp nhận</source>
        <translation>Reception officer</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="42"/>
        <source>Giám sát</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="43"/>
        <source>Quản trị</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="72"/>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="73"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="74"/>
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="75"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="87"/>
        <source>Đang hoạt động</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="89"/>
        <source>Đã khoá</source>
        <translation>Locked</translation>
    </message>
</context>
<context>
    <name>OfficersDialog</name>
    <message>
        <location filename="../../app/ui/officers.py" line="99"/>
        <source>Cán bộ và vai trò</source>
        <translation>Officers and roles</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="114"/>
        <source>&amp;Thêm cán bộ</source>
        <translation>&amp;Add officer</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="116"/>
        <source>&amp;Khoá / mở tài khoản</source>
        <translation>&amp;Lock / unlock account</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="118"/>
        <source>Đổi &amp;vai trò thành vai trò đã chọn</source>
        <translation>Set the chosen &amp;role</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="120"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="123"/>
        <source>Tên đăng nhập:</source>
        <translation>Username:</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="124"/>
        <source>Họ và tên:</source>
        <translation>Full name:</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="125"/>
        <source>Mật khẩu (≥ 8 ký tự):</source>
        <translation>Password (≥ 8 characters):</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="126"/>
        <source>Vai trò:</source>
        <translation>Role:</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="170"/>
        <source>Không thể tự khoá tài khoản đang đăng nhập.</source>
        <translation>You cannot lock the account you are signed in with.</translation>
    </message>
    <message>
        <source>Đặt lại &amp;mật khẩu (dùng ô Mật khẩu)</source>
        <translation>Reset the &amp;password (from the Password box)</translation>
    </message>
    <message>
        <source>Cán bộ phải đổi mật khẩu này ở lần đăng nhập tới.</source>
        <translation>The officer must change this password at the next sign-in.</translation>
    </message>
    <message>
        <source>Chọn cán bộ cần đặt lại mật khẩu.</source>
        <translation>Choose the officer whose password to reset.</translation>
    </message>
    <message>
        <source>Đã đặt lại mật khẩu cho {u}; cán bộ phải đổi ở lần đăng nhập tới.</source>
        <translation>Password reset for {u}; they must change it at the next sign-in.</translation>
    </message>
    <message>
        <source>Lỗi không mong đợi: {e}</source>
        <translation>Unexpected error: {e}</translation>
    </message>
</context>
<context>
    <name>PrintPreview</name>
    <message>
        <source>Không tìm thấy máy in {p}: kiểm tra Cài đặt quầy.</source>
        <translation>Printer {p} not found: check the desk settings.</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="123"/>
        <source>&amp;In… (Ctrl+P)</source>
        <translation>&amp;Print… (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="124"/>
        <source>&amp;Lưu thành PDF…</source>
        <translation>&amp;Save as PDF…</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="125"/>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="138"/>
        <source>Máy này chưa có máy in: hãy lưu phiếu thành PDF để in ở máy khác.</source>
        <translation>No printer on this computer: save the form as PDF and print it elsewhere.</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="154"/>
        <source>Đã gửi tới máy in {p}.</source>
        <translation>Sent to printer {p}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="159"/>
        <source>Lưu phiếu thành PDF</source>
        <translation>Save form as PDF</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="159"/>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="167"/>
        <source>Không lưu được tệp</source>
        <translation>Could not save the file</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="169"/>
        <source>Đã lưu: {p}</source>
        <translation>Saved: {p}</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <location filename="../../app/ui/printing.py" line="41"/>
        <source>Giấy tiếp nhận hồ sơ và hẹn trả kết quả</source>
        <translation>Receipt and appointment slip</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="42"/>
        <source>Phiếu hẹn (máy in nhiệt 80 mm)</source>
        <translation>Appointment slip (80 mm thermal printer)</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="43"/>
        <source>Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ</source>
        <translation>Supplement request</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="44"/>
        <source>Phiếu từ chối tiếp nhận giải quyết hồ sơ</source>
        <translation>Refusal</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="45"/>
        <source>Phiếu xin lỗi và hẹn lại ngày trả kết quả</source>
        <translation>Apology and new appointment</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="46"/>
        <source>Phiếu kiểm soát quá trình giải quyết hồ sơ</source>
        <translation>Process control sheet</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="209"/>
        <source>Một cửa</source>
        <extracomment>The previews still open (so they are not garbage collected).</extracomment>
        <translation>One-stop</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing.py" line="232"/>
        <source>Không in được phiếu</source>
        <translation>Could not print the form</translation>
    </message>
    <message>
        <location filename="../../app/ui/dossier_view.py" line="0"/>
        <source>Thông báo dừng giải quyết hồ sơ</source>
        <translation>Notice of stopping the dossier</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Máy in:</source>
        <translation>Printer:</translation>
    </message>
    <message>
        <source>(máy in mặc định)</source>
        <translation>(default printer)</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="201"/>
        <source>Cài đặt quầy</source>
        <translation>Desk settings</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="204"/>
        <source> phút</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="206"/>
        <source>In thẳng ra máy in mặc định (không hỏi)</source>
        <translation>Print straight to the default printer (no dialog)</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="211"/>
        <source>Cần gói PySide6-Addons (QtSerialPort).</source>
        <translation>Needs the PySide6-Addons package (QtSerialPort).</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="213"/>
        <source>Ngôn ngữ (từ lần mở sau):</source>
        <translation>Language (from the next start):</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="214"/>
        <source>Khoá màn hình sau:</source>
        <translation>Lock the screen after:</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="216"/>
        <source>Cổng COM máy quét:</source>
        <translation>Scanner serial port:</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="217"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../app/ui/officers.py" line="219"/>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Đang mở dữ liệu…</source>
        <translation>Opening the desk's data…</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="44"/>
        <source>Màn hình đã khoá</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="44"/>
        <source>Đăng nhập</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="48"/>
        <source>&lt;b&gt;Màn hình đã khoá&lt;/b&gt;&lt;br&gt;Nhập mật khẩu để tiếp tục.</source>
        <translation>&lt;b&gt;Screen locked&lt;/b&gt;&lt;br&gt;Enter your password to continue.</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="51"/>
        <source>&lt;b&gt;Bộ phận tiếp nhận và trả kết quả&lt;/b&gt;&lt;br&gt;{desk}</source>
        <translation>&lt;b&gt;Reception and results desk&lt;/b&gt;&lt;br&gt;{desk}</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="59"/>
        <source>Đăng &amp;nhập</source>
        <translation>&amp;Sign in</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="59"/>
        <source>&amp;Mở khoá</source>
        <translation>&amp;Unlock</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="63"/>
        <source>Tên đăng nhập:</source>
        <translation>Username:</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="64"/>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="69"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="88"/>
        <source>Nhập tên đăng nhập và mật khẩu.</source>
        <translation>Enter username and password.</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="96"/>
        <source>Tên đăng nhập hoặc mật khẩu không đúng.</source>
        <translation>Wrong username or password.</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="106"/>
        <source>Chỉ cán bộ đã khoá màn hình hoặc quản trị viên mới mở khoá được.</source>
        <translation>Only the officer who locked the screen or an administrator can unlock it.</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin.py" line="117"/>
        <source>Không kiểm tra được mật khẩu: {e}</source>
        <translation>Could not check the password: {e}</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>Không mở được dữ liệu của quầy</source>
        <translation>The desk's data could not be opened</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <source>Chưa có số liệu</source>
        <translation>No figures yet</translation>
    </message>
</context>
<context>
    <name>ControlModel</name>
    <message>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <source>Ngày nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Hẹn trả</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>Số ngày</source>
        <translation>Days</translation>
    </message>
    <message>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>OverdueControlWidget</name>
    <message>
        <source>Quầy của tôi</source>
        <translation>My desk</translation>
    </message>
    <message>
        <source>Cả đơn vị (mọi quầy)</source>
        <translation>Whole office (all desks)</translation>
    </message>
    <message>
        <source>Làm mới (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>Xuất &amp;Excel…</source>
        <translation>&amp;Excel…</translation>
    </message>
    <message>
        <source>In / &amp;PDF…</source>
        <translation>Print / &amp;PDF…</translation>
    </message>
    <message>
        <source>Phạm vi:</source>
        <translation>Scope:</translation>
    </message>
    <message>
        <source>Đang tải…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Không tải được: {e}</source>
        <translation>Could not load: {e}</translation>
    </message>
    <message>
        <source>Ngày {d}</source>
        <translation>Date {d}</translation>
    </message>
    <message>
        <source>Hồ sơ quá hạn theo thủ tục</source>
        <translation>Overdue dossiers by procedure</translation>
    </message>
</context>
<context>
    <name>ReportsWidget</name>
    <message>
        <source>Biểu II.06a: tình hình, kết quả giải quyết TTHC</source>
        <translation>Form II.06a: receiving and settling procedures</translation>
    </message>
    <message>
        <source>Tổng hợp tiếp nhận và trả kết quả (ngày, kỳ)</source>
        <translation>Summary of intake and returns (day, period)</translation>
    </message>
    <message>
        <source>Sổ theo dõi hồ sơ của quầy (in, A4 ngang)</source>
        <translation>This desk's log book (print, A4 landscape)</translation>
    </message>
    <message>
        <source>Báo cáo:</source>
        <translation>Report:</translation>
    </message>
    <message>
        <source>Hôm nay</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Tuần này</source>
        <translation>This week</translation>
    </message>
    <message>
        <source>Tuần trước</source>
        <translation>Last week</translation>
    </message>
    <message>
        <source>Tháng này</source>
        <translation>This month</translation>
    </message>
    <message>
        <source>Kỳ báo cáo:</source>
        <translation>Period:</translation>
    </message>
    <message>
        <source>Mọi quầy</source>
        <translation>All desks</translation>
    </message>
    <message>
        <source>Mọi cán bộ</source>
        <translation>All officers</translation>
    </message>
    <message>
        <source>Mọi thủ tục</source>
        <translation>All procedures</translation>
    </message>
    <message>
        <source>Phạm vi:</source>
        <translation>Scope:</translation>
    </message>
    <message>
        <source>&amp;Xem báo cáo</source>
        <translation>&amp;Show report</translation>
    </message>
    <message>
        <source>Xuất &amp;Excel…</source>
        <translation>&amp;Excel…</translation>
    </message>
    <message>
        <source>In / &amp;PDF…</source>
        <translation>Print / &amp;PDF…</translation>
    </message>
    <message>
        <source>&amp;In sổ…</source>
        <translation>&amp;Print the book…</translation>
    </message>
    <message>
        <source>Phạm vi: {p}</source>
        <translation>Scope: {p}</translation>
    </message>
    <message>
        <source>Đang lập báo cáo…</source>
        <translation>Preparing the report…</translation>
    </message>
    <message>
        <source>Không lập được báo cáo</source>
        <translation>Could not prepare the report</translation>
    </message>
    <message>
        <source>Từ {a} đến {b}</source>
        <translation>From {a} to {b}</translation>
    </message>
    <message>
        <source>Tiếp nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Đã giải quyết</source>
        <translation>Settled</translation>
    </message>
    <message>
        <source>Đang giải quyết</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>(2) Lĩnh vực, thủ tục</source>
        <translation>(2) Field, procedure</translation>
    </message>
    <message>
        <source>Tỷ lệ giải quyết trước hạn và đúng hạn: {p}. </source>
        <translation>Settled early or on time: {p}. </translation>
    </message>
    <message>
        <source>Hồ sơ quá hạn theo thủ tục (đã và đang giải quyết)</source>
        <translation>Overdue dossiers by procedure (settled and in progress)</translation>
    </message>
    <message>
        <source>Hồ sơ tiếp nhận</source>
        <translation>Dossiers received</translation>
    </message>
    <message>
        <source>Yêu cầu bổ sung, hoàn thiện</source>
        <translation>Supplements requested</translation>
    </message>
    <message>
        <source>Từ chối tiếp nhận, giải quyết</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>Chuyển cơ quan giải quyết</source>
        <translation>Transferred for processing</translation>
    </message>
    <message>
        <source>Trả kết quả đúng hạn</source>
        <translation>Returned on time</translation>
    </message>
    <message>
        <source>Trả kết quả quá hạn</source>
        <translation>Returned late</translation>
    </message>
    <message>
        <source>Quá hạn chuyển sang (cuối kỳ)</source>
        <translation>Overdue at the end of the period</translation>
    </message>
    <message>
        <source>Lượt đánh giá hài lòng</source>
        <translation>Satisfaction ratings</translation>
    </message>
    <message>
        <source>Chỉ số {i}: điểm 2/1/0</source>
        <translation>Index {i}: scores 2/1/0</translation>
    </message>
    <message>
        <source>Chỉ tiêu</source>
        <translation>Measure</translation>
    </message>
    <message>
        <source>Số liệu</source>
        <translation>Figure</translation>
    </message>
    <message>
        <source>Hồ sơ tiếp nhận theo ngày</source>
        <translation>Dossiers received per day</translation>
    </message>
    <message>
        <source>(3) Tổng số</source>
        <translation>(3) Total</translation>
    </message>
    <message>
        <source>(4) Trực tuyến (*)</source>
        <translation>(4) Online (*)</translation>
    </message>
    <message>
        <source>(5) Trực tiếp, dịch vụ bưu chính</source>
        <translation>(5) In person, by post</translation>
    </message>
    <message>
        <source>(6) Từ kỳ trước</source>
        <translation>(6) Carried over</translation>
    </message>
    <message>
        <source>(7) Tổng số</source>
        <translation>(7) Total</translation>
    </message>
    <message>
        <source>(8) Trước hạn</source>
        <translation>(8) Early</translation>
    </message>
    <message>
        <source>(9) Đúng hạn</source>
        <translation>(9) On time</translation>
    </message>
    <message>
        <source>(10) Quá hạn</source>
        <translation>(10) Late</translation>
    </message>
    <message>
        <source>(11) Tổng số</source>
        <translation>(11) Total</translation>
    </message>
    <message>
        <source>(12) Trong hạn</source>
        <translation>(12) Within the time limit</translation>
    </message>
    <message>
        <source>(13) Quá hạn</source>
        <translation>(13) Overdue</translation>
    </message>
    <message>
        <source>Tổng cộng</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Bảo hiểm xã hội</source>
        <translation>Social insurance</translation>
    </message>
    <message>
        <source>Bảo hiểm y tế</source>
        <translation>Health insurance</translation>
    </message>
    <message>
        <source>Bảo hiểm thất nghiệp</source>
        <translation>Unemployment insurance</translation>
    </message>
    <message>
        <source>Cột (4) chỉ gồm hồ sơ trực tuyến/liên thông đã được ghi nhận tại quầy; hồ sơ nộp và giải quyết hoàn toàn trên Cổng Dịch vụ công không có trong dữ liệu của quầy, cần lấy số liệu từ Hệ thống thông tin giải quyết TTHC.</source>
        <translation>Column (4) holds only the online and interconnected dossiers recorded at the desk; dossiers filed and settled entirely on the National Public Service Portal are not in the desk's data: take those figures from the procedure-settlement information system.</translation>
    </message>
</context>
<context>
    <name>ReportsWindow</name>
    <message>
        <source>Kiểm soát hồ sơ và báo cáo</source>
        <translation>Overdue control and reports</translation>
    </message>
    <message>
        <source>&amp;Kiểm soát hồ sơ</source>
        <translation>&amp;Overdue control</translation>
    </message>
    <message>
        <source>&amp;Báo cáo</source>
        <translation>&amp;Reports</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>Lưu báo cáo Excel</source>
        <translation>Save the Excel report</translation>
    </message>
    <message>
        <source>Tệp Excel (*.xlsx)</source>
        <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
        <source>Không lưu được tệp</source>
        <translation>Could not save the file</translation>
    </message>
    <message>
        <source>Đã lưu báo cáo</source>
        <translation>Report saved</translation>
    </message>
    <message>
        <source>Không lập được báo cáo</source>
        <translation>Could not prepare the report</translation>
    </message>
</context>
<context>
    <name>RejectedModel</name>
    <message>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <source>Thao tác</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Số TT</source>
        <translation>Desk no.</translation>
    </message>
    <message>
        <source>Thời điểm</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Lý do máy chủ từ chối</source>
        <translation>Why the central service refused</translation>
    </message>
</context>
<context>
    <name>SyncScreen</name>
    <message>
        <source>Đồng bộ với máy chủ trung tâm</source>
        <translation>Sync with the central service</translation>
    </message>
    <message>
        <source>Trạng thái:</source>
        <translation>State:</translation>
    </message>
    <message>
        <source>Hàng đợi:</source>
        <translation>Queue:</translation>
    </message>
    <message>
        <source>Thành công lần cuối:</source>
        <translation>Last success:</translation>
    </message>
    <message>
        <source>Sự kiện bị máy chủ từ chối:</source>
        <translation>Events the central service refused:</translation>
    </message>
    <message>
        <source>Ghi chú khi gác lại (không bắt buộc)</source>
        <translation>Note when setting aside (optional)</translation>
    </message>
    <message>
        <source>&amp;Thử gửi lại</source>
        <translation>&amp;Retry</translation>
    </message>
    <message>
        <source>&amp;Gác lại</source>
        <translation>Set &amp;aside</translation>
    </message>
    <message>
        <source>Đồng bộ &amp;ngay</source>
        <translation>Sync &amp;now</translation>
    </message>
    <message>
        <source>&amp;Làm mới</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Không đọc được trạng thái: {e}</source>
        <translation>Could not read the state: {e}</translation>
    </message>
    <message>
        <source>Trực tuyến</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Máy chủ từ chối quầy: {reason}</source>
        <translation>The central service refused this desk: {reason}</translation>
    </message>
    <message>
        <source>Lỗi máy chủ trung tâm (sẽ thử lại): {reason}</source>
        <translation>Central service error (will retry): {reason}</translation>
    </message>
    <message>
        <source>Mất kết nối: {reason}</source>
        <translation>Offline: {reason}</translation>
    </message>
    <message>
        <source>Làm việc độc lập (chưa kết nối máy chủ)</source>
        <translation>Working stand-alone (not paired with a central service)</translation>
    </message>
    <message>
        <source>Chưa đồng bộ lần nào từ khi mở chương trình</source>
        <translation>No sync round since the program started</translation>
    </message>
    <message>
        <source>{n} sự kiện chờ gửi; cũ nhất chờ {age}</source>
        <translation>{n} events waiting; the oldest for {age}</translation>
    </message>
    <message>
        <source>đầu hàng đợi: số {seq}, đã thử {k} lần</source>
        <translation>head of the queue: no. {seq}, tried {k} times</translation>
    </message>
    <message>
        <source>Không có sự kiện nào chờ gửi</source>
        <translation>No events waiting</translation>
    </message>
    <message>
        <source>chưa có</source>
        <translation>never</translation>
    </message>
    <message>
        <source>đồng bộ đủ: {all}; gửi: {push}; nhận: {pull}</source>
        <translation>full round: {all}; sent: {push}; received: {pull}</translation>
    </message>
    <message>
        <source>Cảnh báo: đầu hàng đợi không di chuyển đã hơn 10 phút dù đang trực tuyến. Xem lý do ở trên hoặc báo quản trị.</source>
        <translation>Warning: the head of the queue has not moved for over 10 minutes while online. See the reason above or tell the administrator.</translation>
    </message>
    <message>
        <source>Đã đưa lại vào hàng đợi.</source>
        <translation>Queued again.</translation>
    </message>
    <message>
        <source>Sự kiện không còn bị từ chối.</source>
        <translation>The event is no longer refused.</translation>
    </message>
    <message>
        <source>Đã gác lại; việc gác lại được ghi vào nhật ký.</source>
        <translation>Set aside; this is recorded in the event log.</translation>
    </message>
    <message>
        <source>Đang đồng bộ…</source>
        <translation>Syncing…</translation>
    </message>
</context>
<context>
    <name>OfficeProfileForm</name>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>— chọn loại đơn vị —</source>
        <translation>— choose the kind of office —</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Bảo hiểm xã hội cơ sở Ba Đình</source>
        <translation>Bảo hiểm xã hội cơ sở Ba Đình</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Loại đơn vị:</source>
        <translation>Kind of office:</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Tỉnh, thành phố:</source>
        <translation>Province or city:</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Xã, phường:</source>
        <translation>Commune or ward:</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Tên đơn vị:</source>
        <translation>Name of the unit:</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Dòng cơ quan chủ quản:</source>
        <translation>Governing body line:</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Dòng tên đơn vị trên tiêu đề:</source>
        <translation>Office line of the header:</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Địa danh ghi ngày tháng:</source>
        <translation>Place for the date line:</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Địa chỉ:</source>
        <translation>Address:</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Đường dây nóng:</source>
        <translation>Hotline:</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Điện thoại cán bộ hướng dẫn:</source>
        <translation>Officers' contact phone:</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Giờ trả kết quả thường lệ:</source>
        <translation>Usual hour results are returned:</translation>
    </message>
</context>
<context>
    <name>OfficeProfileDialog</name>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Thông tin đơn vị in trên phiếu</source>
        <translation>Office details printed on papers</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../app/ui/office_profile.py" line="0"/>
        <source>Lỗi không mong đợi: {e}</source>
        <translation>Unexpected error: {e}</translation>
    </message>
</context>
<context>
    <name>BatchDialog</name>
    <message>
        <source>Biên bản giao nhận {no}</source>
        <translation>Hand-over record {no}</translation>
    </message>
    <message>
        <source>STT</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>Số hiệu bưu gửi</source>
        <translation>Consignment number</translation>
    </message>
    <message>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <source>Kết quả</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>Ký nhận biên bản</source>
        <translation>Sign the record</translation>
    </message>
    <message>
        <source>Lý do (bổ sung, từ chối, thiếu)</source>
        <translation>Reason (supplement, refusal, missing)</translation>
    </message>
    <message>
        <source>Tiếp nhận (in giấy tiếp nhận)</source>
        <translation>Receive (print the receipt)</translation>
    </message>
    <message>
        <source>Yêu cầu bổ sung</source>
        <translation>Request a supplement</translation>
    </message>
    <message>
        <source>Từ chối</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <source>Thiếu trong bao</source>
        <translation>Missing from the packet</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Dòng này thuộc biên bản khác ({batch}).</source>
        <translation>This row belongs to another record ({batch}).</translation>
    </message>
    <message>
        <source>Đã quét {n}/{count} dòng.</source>
        <translation>{n}/{count} rows scanned.</translation>
    </message>
    <message>
        <source>Đã ký nhận lúc {at}.</source>
        <translation>Signed at {at}.</translation>
    </message>
    <message>
        <source>XUNG ĐỘT: biên bản được ký ở hai quầy.</source>
        <translation>CONFLICT: the record was signed at two desks.</translation>
    </message>
    <message>
        <source>&amp;Giải quyết ký nhận hai lần…</source>
        <translation>&amp;Resolve a double signing…</translation>
    </message>
</context>
<context>
    <name>HandoverWidget</name>
    <message>
        <source>Lập biên bản giao nhận</source>
        <translation>Make the hand-over record</translation>
    </message>
    <message>
        <source>Số biên lai</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <source>Số hiệu bưu gửi</source>
        <translation>Consignment number</translation>
    </message>
    <message>
        <source>Người gửi</source>
        <translation>Sender</translation>
    </message>
    <message>
        <source>Cơ quan</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>Tình trạng</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Biên bản</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <source>Lý do (khi phát không thành công)</source>
        <translation>Reason (when delivery failed)</translation>
    </message>
    <message>
        <source>Đã phát</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>Phát không thành công</source>
        <translation>Delivery failed</translation>
    </message>
    <message>
        <source>Trả lại cơ quan</source>
        <translation>Returned to the agency</translation>
    </message>
    <message>
        <source>Bảng kê trong ngày…</source>
        <translation>Today's list…</translation>
    </message>
    <message>
        <source>Cơ quan:</source>
        <translation>Agency:</translation>
    </message>
    <message>
        <source>Biên bản giao nhận</source>
        <translation>Hand-over record</translation>
    </message>
    <message>
        <source>Lưu bảng kê</source>
        <translation>Save the list</translation>
    </message>
    <message>
        <source>Excel (*.xlsx);;PDF (*.pdf)</source>
        <translation>Excel (*.xlsx);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Bảng kê</source>
        <translation>List</translation>
    </message>
    <message>
        <source>Đã lưu {path}</source>
        <translation>Saved {path}</translation>
    </message>
    <message>
        <source>Lịch &amp;sử bưu gửi…</source>
        <translation>Consignment &amp;history…</translation>
    </message>
</context>
<context>
    <name>PostalIntakeWidget</name>
    <message>
        <source>3 – Gửi hồ sơ và nhận kết quả qua bưu điện</source>
        <translation>3 – Send the dossier and receive the result by post</translation>
    </message>
    <message>
        <source>1 – Chỉ gửi hồ sơ</source>
        <translation>1 – Send the dossier only</translation>
    </message>
    <message>
        <source>2 – Chỉ nhận kết quả</source>
        <translation>2 – Receive the result only</translation>
    </message>
    <message>
        <source>Nhận hồ sơ và in biên lai (F9)</source>
        <translation>Accept and print the receipt (F9)</translation>
    </message>
    <message>
        <source>Cơ quan nhận hồ sơ:</source>
        <translation>Receiving agency:</translation>
    </message>
    <message>
        <source>Thủ tục:</source>
        <translation>Procedure:</translation>
    </message>
    <message>
        <source>Giấy tờ đã kiểm (đánh dấu):</source>
        <translation>Papers checked (tick):</translation>
    </message>
    <message>
        <source>Người gửi:</source>
        <translation>Sender:</translation>
    </message>
    <message>
        <source>Số định danh cá nhân:</source>
        <translation>Personal ID number:</translation>
    </message>
    <message>
        <source>Điện thoại:</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <source>Địa chỉ:</source>
        <translation>Address:</translation>
    </message>
    <message>
        <source>Số hiệu bưu gửi (quét hoặc gõ):</source>
        <translation>Consignment number (scan or type):</translation>
    </message>
    <message>
        <source>Hình thức:</source>
        <translation>Option:</translation>
    </message>
    <message>
        <source>Cước và phí phải thu:</source>
        <translation>Fees to collect:</translation>
    </message>
    <message>
        <source> – nếu có</source>
        <translation> – if applicable</translation>
    </message>
    <message>
        <source>{total} (phí, lệ phí {charges}; cước bưu chính {post})</source>
        <translation>{total} (fees and charges {charges}; postage {post})</translation>
    </message>
    <message>
        <source>bảng cước chưa đối chiếu</source>
        <translation>fee table not confirmed</translation>
    </message>
    <message>
        <source>Đã nhận: biên lai {receipt}, bưu gửi {number}, thu {total}.</source>
        <translation>Accepted: receipt {receipt}, consignment {number}, collected {total}.</translation>
    </message>
    <message>
        <source>Biên lai thu cước</source>
        <translation>Fee receipt</translation>
    </message>
</context>
<context>
    <name>Postal</name>
    <message>
        <source>Chưa lưu được</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>Lỗi</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Gửi kết quả qua bưu điện</source>
        <translation>Send results by post</translation>
    </message>
    <message>
        <source>Không có kết quả nào chờ gửi qua bưu điện.</source>
        <translation>No result is waiting to go by post.</translation>
    </message>
    <message>
        <source>Biên bản giao nhận kết quả</source>
        <translation>Results hand-over record</translation>
    </message>
    <message>
        <source>Đã giải quyết: giữ lần ký của {desk} ({by}).</source>
        <translation>Resolved: the signing of {desk} stands ({by}).</translation>
    </message>
    <message>
        <source>Hai giám sát viên đã chọn khác nhau; hồ sơ trùng của cả hai lần ký đã hủy.</source>
        <translation>Two supervisors chose differently; the duplicate dossiers of both signings were cancelled.</translation>
    </message>
    <message>
        <source>Dòng {rows} cần xử lý lại.</source>
        <translation>Row(s) {rows} must be settled again.</translation>
    </message>
</context>
<context>
    <name>Backup</name>
    <message>
        <source>{m} phút trước</source>
        <translation>{m} min ago</translation>
    </message>
    <message>
        <source>{h} giờ trước</source>
        <translation>{h} h ago</translation>
    </message>
    <message>
        <source>{d} ngày trước</source>
        <translation>{d} days ago</translation>
    </message>
</context>
<context>
    <name>BackupDialog</name>
    <message>
        <source>Sao lưu và khôi phục</source>
        <translation>Back up and restore</translation>
    </message>
    <message>
        <source>ví dụ: E:\SaoLuu hoặc \\may-chu\chia-se</source>
        <translation>e.g. E:\Backups or \\server\share</translation>
    </message>
    <message>
        <source>Chọn &amp;thư mục…</source>
        <translation>Choose a &amp;folder…</translation>
    </message>
    <message>
        <source>&amp;Lưu nơi thứ hai</source>
        <translation>&amp;Save the second place</translation>
    </message>
    <message>
        <source>Sao lưu &amp;ngay</source>
        <translation>Back up &amp;now</translation>
    </message>
    <message>
        <source>&amp;Khôi phục bản đã chọn…</source>
        <translation>&amp;Restore the chosen backup…</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Nơi sao lưu thứ hai:</source>
        <translation>Second backup place:</translation>
    </message>
    <message>
        <source>Quản trị viên:</source>
        <translation>Administrator:</translation>
    </message>
    <message>
        <source>Mật khẩu (để khôi phục):</source>
        <translation>Password (to restore):</translation>
    </message>
    <message>
        <source>&lt;b&gt;Chưa có bản sao lưu nào.&lt;/b&gt;</source>
        <translation>&lt;b&gt;No backup yet.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Bản sao lưu tốt gần nhất: &lt;b&gt;{at}&lt;/b&gt; ({age})&lt;br&gt;{path}</source>
        <translation>Last good backup: &lt;b&gt;{at}&lt;/b&gt; ({age})&lt;br&gt;{path}</translation>
    </message>
    <message>
        <source>Nơi sao lưu thứ hai</source>
        <translation>Second backup place</translation>
    </message>
    <message>
        <source>Không sao lưu được vào {dir}: {why}</source>
        <translation>Could not back up to {dir}: {why}</translation>
    </message>
    <message>
        <source>Chọn bản sao lưu cần khôi phục.</source>
        <translation>Choose the backup to restore.</translation>
    </message>
    <message>
        <source>Nhập mật khẩu quản trị viên để khôi phục.</source>
        <translation>Enter the administrator's password to restore.</translation>
    </message>
    <message>
        <source>Khôi phục dữ liệu</source>
        <translation>Restore data</translation>
    </message>
    <message>
        <source>Thay dữ liệu hiện tại bằng bản sao lưu {name}?
Dữ liệu hiện tại được giữ lại bên cạnh (không xoá). Chương trình sẽ đóng sau khi khôi phục.</source>
        <translation>Replace the current data with the backup {name}?
The current data is kept beside it (not deleted). The program closes after the restore.</translation>
    </message>
</context>
<context>
    <name>DatabaseProblemDialog</name>
    <message>
        <source>Dữ liệu của quầy cần được xử lý</source>
        <translation>The desk's data needs attention</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Không mở được dữ liệu của quầy&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;The desk's data could not be opened&lt;/h3&gt;</translation>
    </message>
    <message>
        <source>Cách xử lý:</source>
        <translation>What can be done:</translation>
    </message>
    <message>
        <source>&amp;Khôi phục bản sao lưu gần nhất</source>
        <translation>&amp;Restore the latest good backup</translation>
    </message>
    <message>
        <source>&amp;Xuất dữ liệu còn đọc được…</source>
        <translation>&amp;Export what is still readable…</translation>
    </message>
    <message>
        <source>&amp;Dựng lại từ máy chủ trung tâm</source>
        <translation>&amp;Rebuild from the central</translation>
    </message>
    <message>
        <source>&amp;Thoát</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Quản trị viên:</source>
        <translation>Administrator:</translation>
    </message>
    <message>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Đã khôi phục</source>
        <translation>Restored</translation>
    </message>
    <message>
        <source>Đã khôi phục {name}. Dữ liệu cũ được giữ ở {aside}.</source>
        <translation>Restored {name}. The old data is kept at {aside}.</translation>
    </message>
    <message>
        <source>Dựng lại từ máy chủ trung tâm</source>
        <translation>Rebuild from the central</translation>
    </message>
    <message>
        <source>Tải lại các hồ sơ đã đồng bộ của quầy từ {url}. Dữ liệu hiện có (nếu còn) được giữ nguyên ở một tệp bên cạnh. Hồ sơ chưa kịp đồng bộ không có trên máy chủ. Sau đó cần tạo lại tài khoản quản trị. Tiếp tục?</source>
        <translation>Download this desk's synced dossiers again from {url}. The data in place (if any) is kept in a file beside it. Dossiers not yet synced are not on the central. An administrator account must then be created again. Go on?</translation>
    </message>
    <message>
        <source>Đang dựng lại…</source>
        <translation>Rebuilding…</translation>
    </message>
    <message>
        <source>Đã dựng lại dữ liệu của quầy {desk} từ máy chủ.</source>
        <translation>Rebuilt the data of desk {desk} from the central.</translation>
    </message>
    <message>
        <source>Dữ liệu cũ được giữ ở {aside}.</source>
        <translation>The old data is kept at {aside}.</translation>
    </message>
    <message>
        <source>Tiếp theo: tạo tài khoản quản trị cho quầy.</source>
        <translation>Next: create an administrator account for the desk.</translation>
    </message>
    <message>
        <source>Đã dựng lại</source>
        <translation>Rebuilt</translation>
    </message>
    <message>
        <source>Không dựng lại được từ máy chủ: {why}</source>
        <translation>Could not rebuild from the central: {why}</translation>
    </message>
    <message>
        <source>Thư mục nhận dữ liệu xuất ra</source>
        <translation>Folder for the exported data</translation>
    </message>
    <message>
        <source>Đã xuất dữ liệu</source>
        <translation>Data exported</translation>
    </message>
    <message>
        <source>Đã ghi các tệp CSV vào {dir}:</source>
        <translation>CSV files written to {dir}:</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>&lt;h2&gt;Màn hình đã khoá&lt;/h2&gt;Nhập mật khẩu để tiếp tục.</source>
        <translation>&lt;h2&gt;The screen is locked&lt;/h2&gt;Enter the password to go on.</translation>
    </message>
    <message>
        <source>&amp;Mở khoá</source>
        <translation>&amp;Unlock</translation>
    </message>
    <message>
        <source>Chỉ cán bộ đã khoá màn hình, giám sát viên hoặc quản trị viên mới mở khoá được.</source>
        <translation>Only the officer who locked the screen, a supervisor or an administrator can unlock it.</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>Cho phép tiếp tục tiếp nhận</source>
        <translation>Let intake go on</translation>
    </message>
    <message>
        <source>Cho phép tiếp tục dù vậy (trong {h} giờ)</source>
        <translation>Go on all the same (for {h} hours)</translation>
    </message>
    <message>
        <source>Hiện không có giới hạn nào chặn việc tiếp nhận.</source>
        <translation>No limit is blocking intake now.</translation>
    </message>
    <message>
        <source>Giám sát viên:</source>
        <translation>Supervisor:</translation>
    </message>
    <message>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Lý do:</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <source>&amp;Cho phép</source>
        <translation>&amp;Allow</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Ghi lý do cho phép (để lưu vết).</source>
        <translation>Give the reason for the override (kept on record).</translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <source>Tên đăng nhập:</source>
        <translation>Username:</translation>
    </message>
    <message>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Đổi &amp;mật khẩu</source>
        <translation>Change the &amp;password</translation>
    </message>
    <message>
        <source>Mật khẩu này do quản trị viên đặt. Hãy chọn mật khẩu của riêng bạn (ít nhất 8 ký tự) trước khi làm việc.</source>
        <translation>This password was set by an administrator. Choose your own (at least 8 characters) before working.</translation>
    </message>
    <message>
        <source>Mật khẩu mới:</source>
        <translation>New password:</translation>
    </message>
    <message>
        <source>Nhập lại mật khẩu mới:</source>
        <translation>New password again:</translation>
    </message>
    <message>
        <source>Nhập tên đăng nhập và mật khẩu.</source>
        <translation>Enter username and password.</translation>
    </message>
    <message>
        <source>Tên đăng nhập hoặc mật khẩu không đúng.</source>
        <translation>Wrong username or password.</translation>
    </message>
    <message>
        <source>Không kiểm tra được mật khẩu: {e}</source>
        <translation>Could not check the password: {e}</translation>
    </message>
    <message>
        <source>Hai lần nhập mật khẩu mới không khớp.</source>
        <translation>The two new passwords do not match.</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <source>Biên bản giao nhận ký nhận hai lần</source>
        <translation>Hand-over records signed twice</translation>
    </message>
    <message>
        <source>Không có biên bản nào cần giải quyết.</source>
        <translation>No record needs resolving.</translation>
    </message>
    <message>
        <source>&amp;Mở biên bản</source>
        <translation>&amp;Open the record</translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>{no} – {name} – {count} dòng – {n} lần ký</source>
        <translation>{no} – {name} – {count} rows – signed {n} times</translation>
    </message>
</context>
<context>
    <name>PostalHistoryDialog</name>
    <message>
        <source>Lịch sử bưu gửi</source>
        <translation>Consignment history</translation>
    </message>
    <message>
        <source>Quét hoặc gõ số hiệu bưu gửi, số biên lai</source>
        <translation>Scan or type the consignment number or the receipt number</translation>
    </message>
    <message>
        <source>&amp;Tra cứu</source>
        <translation>&amp;Look up</translation>
    </message>
    <message>
        <source>Thời điểm</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Bước</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>Quầy</source>
        <translation>Desk</translation>
    </message>
    <message>
        <source>Chi tiết</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>Số &amp;hiệu bưu gửi:</source>
        <translation>Consignment &amp;number:</translation>
    </message>
    <message>
        <source>{number} – {name} – {agency} – {status}</source>
        <translation>{number} – {name} – {agency} – {status}</translation>
    </message>
</context>
<context>
    <name>PostalSetupDialog</name>
    <message>
        <source>Cơ quan phục vụ và biểu cước bưu chính</source>
        <translation>Agencies served and postal fees</translation>
    </message>
    <message>
        <source>Mã cơ quan</source>
        <translation>Agency code</translation>
    </message>
    <message>
        <source>Tên cơ quan</source>
        <translation>Agency name</translation>
    </message>
    <message>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Vùng cước</source>
        <translation>Fee band</translation>
    </message>
    <message>
        <source>Vùng</source>
        <translation>Band</translation>
    </message>
    <message>
        <source>Tên vùng</source>
        <translation>Band name</translation>
    </message>
    <message>
        <source>Cước gửi (đ)</source>
        <translation>Sending (VND)</translation>
    </message>
    <message>
        <source>Cước trả (đ)</source>
        <translation>Returning (VND)</translation>
    </message>
    <message>
        <source>Nguồn</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Độ tin cậy (V/S/M)</source>
        <translation>Confidence (V/S/M)</translation>
    </message>
    <message>
        <source>&amp;Phiên bản bảng cước:</source>
        <translation>Fee table &amp;version:</translation>
    </message>
    <message>
        <source>&amp;Ghi chú:</source>
        <translation>&amp;Note:</translation>
    </message>
    <message>
        <source>&amp;Cơ quan quầy phục vụ</source>
        <translation>&amp;Agencies served</translation>
    </message>
    <message>
        <source>Biểu &amp;cước bưu chính</source>
        <translation>Postal &amp;fees</translation>
    </message>
    <message>
        <source>Lưu danh sách &amp;cơ quan</source>
        <translation>Save the &amp;agencies</translation>
    </message>
    <message>
        <source>Lưu &amp;biểu cước</source>
        <translation>Save the &amp;fees</translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>Dòng {n}: {msg}</source>
        <translation>Row {n}: {msg}</translation>
    </message>
    <message>
        <source>Chưa lưu được</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>Đã lưu danh sách cơ quan.</source>
        <translation>The agencies were saved.</translation>
    </message>
    <message>
        <source>Đã lưu biểu cước.</source>
        <translation>The fee table was saved.</translation>
    </message>
</context>
<context>
    <name>ResolveDialog</name>
    <message>
        <source>Giải quyết biên bản ký nhận hai lần {no}</source>
        <translation>Resolve record {no}, signed twice</translation>
    </message>
    <message>
        <source>Biên bản này được ký nhận ở nhiều quầy. Chọn lần ký được giữ: thời điểm ký của lần đó là thời điểm nộp hồ sơ. Hồ sơ trùng do lần ký kia lập sẽ bị hủy (ghi lý do, không xóa, mã không cấp lại); dòng chỉ lần ký kia xử lý được giữ.</source>
        <translation>This record was signed at more than one desk. Choose the signing that stands: its time is the filing time. Duplicate dossiers the other signing made are cancelled (with the reason; nothing is deleted and no code is re-issued); a row only the other signing settled is kept.</translation>
    </message>
    <message>
        <source>Lý do (bắt buộc)</source>
        <translation>Reason (required)</translation>
    </message>
    <message>
        <source>&amp;Xác nhận giải quyết</source>
        <translation>&amp;Confirm the resolution</translation>
    </message>
    <message>
        <source>Đóng, không thay đổi (Esc)</source>
        <translation>Close without change (Esc)</translation>
    </message>
    <message>
        <source>&amp;Lần ký được giữ:</source>
        <translation>&amp;Signing that stands:</translation>
    </message>
    <message>
        <source>Lý &amp;do:</source>
        <translation>&amp;Reason:</translation>
    </message>
    <message>
        <source>chưa xử lý dòng nào</source>
        <translation>no row settled</translation>
    </message>
    <message>
        <source>{desk} – ký lúc {at} – đã xử lý: {made}</source>
        <translation>{desk} – signed at {at} – settled: {made}</translation>
    </message>
    <message>
        <source>Biên bản không còn xung đột (đã được giải quyết).</source>
        <translation>The record has no conflict any more (it was resolved).</translation>
    </message>
    <message>
        <source>Giữ lần ký của {desk}? Hồ sơ trùng của lần ký kia sẽ bị hủy; việc này không hoàn tác được.</source>
        <translation>Keep the signing of {desk}? The duplicate dossiers of the other signing will be cancelled; this cannot be undone.</translation>
    </message>
    <message>
        <source>Đã giải quyết. Hồ sơ đã hủy: {codes}.</source>
        <translation>Resolved. Dossiers cancelled: {codes}.</translation>
    </message>
</context>
<context>
    <name>_EditTable</name>
    <message>
        <source>&amp;Thêm dòng</source>
        <translation>&amp;Add a row</translation>
    </message>
    <message>
        <source>&amp;Bỏ dòng đang chọn</source>
        <translation>&amp;Remove the selected row</translation>
    </message>
</context>
</TS>
