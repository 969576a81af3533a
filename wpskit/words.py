"""Every label, button and message the widgets show, in English and Vietnamese.

One table, so a missing translation is caught by one test (``tests/test_words.py``)
and a facilitator who wants other wording changes it in one place. Texts with
``{fields}`` are filled in by :func:`label`.
"""

from __future__ import annotations

from wpskit.language import Language, current_language

LABELS: dict[str, dict[str, str]] = {
    # buttons
    "check": {"en": "Check", "vi": "Kiểm tra"},
    "try_again": {"en": "Try again", "vi": "Làm lại"},
    "move_up": {"en": "Move up", "vi": "Chuyển lên"},
    "move_down": {"en": "Move down", "vi": "Chuyển xuống"},
    "keep_order": {"en": "This order is my answer", "vi": "Tôi chọn thứ tự này"},
    "show_points": {"en": "Show points to consider", "vi": "Xem những điểm cần cân nhắc"},
    "start_again": {"en": "Start the scenario again", "vi": "Bắt đầu lại tình huống"},
    "language": {"en": "Language", "vi": "Ngôn ngữ"},
    # how to answer
    "hint_single": {"en": "Choose one answer.", "vi": "Chọn một đáp án."},
    "hint_truefalse": {"en": "Is this true or false?", "vi": "Nhận định này đúng hay sai?"},
    "hint_multi": {"en": "Tick every answer that applies.", "vi": "Đánh dấu tất cả các đáp án phù hợp."},
    "hint_order": {
        "en": "Put the items in order with the ↑ and ↓ buttons.",
        "vi": "Dùng các nút ↑ và ↓ để sắp xếp các mục theo đúng thứ tự.",
    },
    "hint_match": {
        "en": "For each item, choose its match in the list below it.",
        "vi": "Với mỗi mục, hãy chọn câu trả lời tương ứng trong danh sách bên dưới.",
    },
    "hint_text": {"en": "Type a short answer.", "vi": "Nhập một câu trả lời ngắn."},
    "hint_written": {
        "en": "Write in your own words. There is no single right answer.",
        "vi": "Hãy viết bằng lời của bạn. Không có một đáp án đúng duy nhất.",
    },
    "hint_confidence": {"en": "Not scored.", "vi": "Không tính điểm."},
    "true": {"en": "True", "vi": "Đúng"},
    "false": {"en": "False", "vi": "Sai"},
    "choose": {"en": "— choose —", "vi": "— chọn —"},
    "answer_for": {"en": "Answer for: {option}", "vi": "Câu trả lời cho: {option}"},
    "position": {"en": "Position {n}: {option}", "vi": "Vị trí {n}: {option}"},
    "placeholder_text": {"en": "Type your answer here", "vi": "Nhập câu trả lời của bạn tại đây"},
    "placeholder_written": {"en": "Write your reflection here", "vi": "Viết suy nghĩ của bạn tại đây"},
    "confidence_1": {"en": "1 – Not sure at all", "vi": "1 – Hoàn toàn không chắc"},
    "confidence_2": {"en": "2 – Not very sure", "vi": "2 – Không chắc lắm"},
    "confidence_3": {"en": "3 – Fairly sure", "vi": "3 – Tương đối chắc"},
    "confidence_4": {"en": "4 – Quite sure", "vi": "4 – Khá chắc"},
    "confidence_5": {"en": "5 – Completely sure", "vi": "5 – Hoàn toàn chắc chắn"},
    # feedback (always a symbol and words, never colour alone)
    "correct": {"en": "✓ Correct", "vi": "✓ Đúng"},
    "partly": {
        "en": "◐ Partly right: {earned} of {points} points",
        "vi": "◐ Đúng một phần: {earned}/{points} điểm",
    },
    "wrong": {"en": "✗ Not quite", "vi": "✗ Chưa đúng"},
    "wrong_next": {
        "en": "Read the explanation, then click “Try again”.",
        "vi": "Hãy đọc phần giải thích, rồi bấm “Làm lại”.",
    },
    "explanation": {"en": "Explanation", "vi": "Giải thích"},
    "need_answer": {"en": "Choose or type an answer first.", "vi": "Hãy chọn hoặc nhập câu trả lời trước."},
    "points_to_consider": {"en": "Points to consider", "vi": "Những điểm cần cân nhắc"},
    "no_points_to_consider": {
        "en": "Your reflection is saved. There are no notes for this question.",
        "vi": "Suy nghĩ của bạn đã được lưu. Câu hỏi này không có ghi chú thêm.",
    },
    "you_chose": {"en": "You chose", "vi": "Bạn đã chọn"},
    "scenario_end": {"en": "End of the scenario.", "vi": "Kết thúc tình huống."},
    "scenario_points": {"en": "Points: {earned} of {best}", "vi": "Điểm: {earned}/{best}"},
    # saving
    "saved": {"en": "Saved ✓", "vi": "Đã lưu ✓"},
    "not_saved": {
        "en": "⚠ Your answer could not be saved ({reason}). Please tell the facilitator.",
        "vi": "⚠ Không lưu được câu trả lời ({reason}). Vui lòng báo cho người hướng dẫn.",
    },
    "file_set_aside": {
        "en": "⚠ The answers file {name} could not be read. It was kept as {backup}; your new answers are saved as usual.",
        "vi": "⚠ Không đọc được tệp câu trả lời {name}. Tệp cũ được giữ lại với tên {backup}; các câu trả lời mới vẫn được lưu bình thường.",
    },
    # score board
    "score": {
        "en": "Your score in this notebook: {earned} of {total} points ({checked} of {count} questions checked)",
        "vi": "Điểm của bạn trong notebook này: {earned}/{total} điểm (đã kiểm tra {checked}/{count} câu)",
    },
    # action plan (widgets/plan.py) and its exports (wpskit/plans.py)
    "plan_title": {"en": "Action plan", "vi": "Kế hoạch hành động"},
    "hint_plan": {
        "en": "Add one action per row. Everything is saved as you type.",
        "vi": "Mỗi dòng là một hành động. Mọi thông tin được lưu ngay khi bạn nhập.",
    },
    "plan_objective": {"en": "Objective", "vi": "Mục tiêu"},
    "plan_activity": {"en": "Activity", "vi": "Hoạt động"},
    "plan_nap_area": {"en": "NAP area", "vi": "Lĩnh vực của Chương trình hành động quốc gia"},
    "plan_partners": {"en": "Partners", "vi": "Đối tác"},
    "plan_timeline": {"en": "Timeline", "vi": "Thời gian thực hiện"},
    "plan_indicator": {"en": "Indicator", "vi": "Chỉ số"},
    "plan_resources": {"en": "Resources needed", "vi": "Nguồn lực cần có"},
    "nap_participation": {"en": "Participation", "vi": "Sự tham gia"},
    "nap_protection": {"en": "Protection", "vi": "Bảo vệ"},
    "nap_prevention": {"en": "Prevention", "vi": "Phòng ngừa"},
    "nap_relief_recovery": {"en": "Relief and recovery", "vi": "Cứu trợ và phục hồi"},
    "nap_international_cooperation": {"en": "International cooperation", "vi": "Hợp tác quốc tế"},
    "plan_row": {"en": "Action {n}", "vi": "Hành động {n}"},
    "plan_editing": {"en": "Action you are editing", "vi": "Hành động đang sửa"},
    "plan_empty": {
        "en": "No actions yet: click “Add an action”.",
        "vi": "Chưa có hành động nào: bấm “Thêm hành động”.",
    },
    "plan_add": {"en": "Add an action", "vi": "Thêm hành động"},
    "plan_delete": {"en": "Delete this action", "vi": "Xóa hành động này"},
    "plan_deleted": {"en": "Action {n} was deleted.", "vi": "Đã xóa hành động {n}."},
    "plan_undo": {"en": "Undo", "vi": "Hoàn tác"},
    "plan_xlsx": {"en": "Download Excel", "vi": "Tải Excel"},
    "plan_html": {"en": "Printable page", "vi": "Trang in"},
    "plan_file_ready": {
        "en": "Saved next to this notebook as {name}.",
        "vi": "Đã lưu cạnh notebook này với tên {name}.",
    },
    "plan_download": {"en": "Download {name}", "vi": "Tải về {name}"},
    "plan_not_written": {
        "en": "⚠ The file could not be written ({reason}). Please tell the facilitator.",
        "vi": "⚠ Không ghi được tệp ({reason}). Vui lòng báo cho người hướng dẫn.",
    },
    "plan_printed": {"en": "Printed on {date}", "vi": "In ngày {date}"},
    "plan_name": {"en": "Name", "vi": "Họ và tên"},
    "plan_organisation": {"en": "Organisation", "vi": "Tổ chức"},
    "plan_participant": {"en": "Participant id", "vi": "Mã người tham dự"},
    "plan_plan_id": {"en": "Plan", "vi": "Kế hoạch"},
    # satisfaction survey (widgets/survey.py)
    "hint_rating": {"en": "Choose one. Not scored.", "vi": "Chọn một mức. Không tính điểm."},
    "rating_1": {"en": "1 – Strongly disagree", "vi": "1 – Hoàn toàn không đồng ý"},
    "rating_2": {"en": "2 – Disagree", "vi": "2 – Không đồng ý"},
    "rating_3": {"en": "3 – Neither agree nor disagree", "vi": "3 – Phân vân"},
    "rating_4": {"en": "4 – Agree", "vi": "4 – Đồng ý"},
    "rating_5": {"en": "5 – Strongly agree", "vi": "5 – Hoàn toàn đồng ý"},
    "hint_comment": {"en": "Optional. Not scored.", "vi": "Không bắt buộc. Không tính điểm."},
    "placeholder_comment": {"en": "Write your comments here", "vi": "Viết ý kiến của bạn tại đây"},
    # submitting a pre/post test or the survey through nbgrader's exchange (widgets.submit)
    "submit": {"en": "Submit", "vi": "Nộp bài"},
    "submitting": {"en": "Submitting…", "vi": "Đang nộp bài…"},
    "submitted": {
        "en": "✓ Submitted at {time}. You can still change an answer and submit again.",
        "vi": "✓ Đã nộp bài lúc {time}. Bạn vẫn có thể sửa câu trả lời và nộp lại.",
    },
    "not_submitted": {
        "en": "⚠ Not submitted: {reason}. Your answers are saved; try again or tell the facilitator.",
        "vi": "⚠ Chưa nộp được: {reason}. Câu trả lời vẫn được lưu; hãy thử lại hoặc báo cho giảng viên.",
    },
}


def label(name: str, language: Language | None = None, /, **fields: object) -> str:
    """The text called `name` in `language` (default: the current one), fields filled in.

    >>> label("check", "vi")
    'Kiểm tra'
    >>> label("scenario_points", "en", earned=2, best=3)
    'Points: 2 of 3'
    """
    text = LABELS[name][language or current_language()]
    return text.format(**fields) if fields else text


def both_languages(name: str, /, **fields: object) -> str:
    """The English and the Vietnamese text, for a notice everybody must understand."""
    return " / ".join(label(name, language, **fields) for language in ("vi", "en"))


def number(value: float, language: Language | None = None) -> str:
    """A score for people: 2 not 2.0, 0.5 not 0.500; Vietnamese writes a decimal comma.

    >>> number(2.0, "en"), number(0.5, "en"), number(1.333, "en"), number(0.5, "vi")
    ('2', '0.5', '1.33', '0,5')
    """
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if (language or current_language()) == "vi" else text
