"""Error messages in Chinese and English, and how a request's language is chosen."""

from fastapi import Request

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

MESSAGES: dict[str, tuple[str, str]] = {
    "token_missing": ("请先登录或完成身份验证。", "Please log in or verify your identity first."),
    "token_invalid": (
        "登录状态已失效，请重新登录或重新验证身份。",
        "Your session is invalid or has expired. Please log in or verify again.",
    ),
    "service_token_invalid": ("服务凭证无效。", "The service token is missing or invalid."),
    "agent_login_failed": ("用户名或密码错误。", "Wrong username or password."),
    "forbidden_role": ("您的岗位无权使用这项功能。", "Your staff role may not use this."),
    "appeal_decided": ("该申诉已有审核结果，不能再次决定。", "This appeal has already been decided."),
    "incident_closed": ("该故障已经结束。", "This incident is already closed."),
    "expected_end_invalid": (
        "预计结束时间必须是将来的时间，并带时区。",
        "The expected end must be a future time with a time zone.",
    ),
    "not_found": ("没有找到相关记录。", "Nothing was found here."),
    "unknown_product": ("没有这个产品，请选择花呗或借呗。", "Unknown product: choose huabei or jiebei."),
    "not_appealable": (
        "该产品目前没有可以申诉的拒绝原因。",
        "There is no refusal on this product that can be appealed.",
    ),
    "appeal_already_open": (
        "该产品已有一个正在处理的申诉，请等待结果。",
        "An appeal for this product is already in progress; please wait for its result.",
    ),
    "appeal_closed": (
        "该申诉已处理完毕，不能再补充材料。",
        "This appeal has been decided; no more materials can be added.",
    ),
    "already_claimed": ("该会话已由其他客服接手。", "Another agent has already taken this conversation."),
    "not_claimed": ("请先接手该会话。", "Claim this conversation first."),
    "ticket_closed": ("该转人工工单已关闭。", "This handoff ticket is already closed."),
    "otp_invalid": (
        "验证码不正确，还可以再试 {attempts_left} 次。",
        "That code is not correct. {attempts_left} attempt(s) left.",
    ),
    "otp_expired": (
        "验证码已失效或已使用，请重新获取。",
        "That code has expired or was already used. Please request a new one.",
    ),
    "otp_attempts_exhausted": (
        "验证码错误次数过多，该验证码已失效，请重新获取。",
        "Too many wrong tries: that code no longer works. Please request a new code.",
    ),
    "otp_send_limited": (
        "这个号码或本次对话请求验证码的次数过多，请 {minutes} 分钟后再试。",
        "Too many codes were requested for this number or in this conversation. "
        "Please try again in {minutes} minute(s).",
    ),
    "login_throttled": (
        "登录尝试次数过多，请 {minutes} 分钟后再试。",
        "Too many login attempts. Please try again in {minutes} minute(s).",
    ),
    "conversation_not_waiting": (
        "该会话没有在等待人工客服，无法接手。",
        "This conversation is not waiting for a human agent, so it cannot be taken.",
    ),
    "rate_limit_unavailable": (
        "服务暂时不可用，请稍后再试。",
        "This service is temporarily unavailable. Please try again shortly.",
    ),
    "statement_too_short": (
        "申诉说明请写 {min_length} 到 {max_length} 个字。",
        "Please write a statement of {min_length} to {max_length} characters.",
    ),
    "statement_too_long": (
        "申诉说明最多 {max_length} 个字。",
        "The appeal statement can be at most {max_length} characters.",
    ),
    "request_too_large": (
        "请求内容过大，最多 {max_bytes} 字节。",
        "The request is too large: at most {max_bytes} bytes.",
    ),
    "file_too_large": ("文件不能超过 {max_mb} MB。", "The file must not be larger than {max_mb} MB."),
    "unsupported_file_type": (
        "只支持 JPEG、PNG 图片或 PDF 文件。",
        "Only JPEG or PNG images and PDF files are accepted.",
    ),
    "validation_error": ("请求内容不正确。", "The request is not valid."),
    "method_not_allowed": ("不支持该请求方式。", "This method is not allowed here."),
    "rasa_unavailable": (
        "对话服务暂时无法连接，请稍后再试。",
        "The conversation service cannot be reached right now. Please try again shortly.",
    ),
    "already_rated": (
        "这次对话已经评价过了，谢谢您！",
        "This conversation has already been rated. Thank you!",
    ),
    "conversation_secret_invalid": (
        "无法确认这是您的对话，评价未保存。",
        "This conversation could not be confirmed as yours, so the rating was not saved.",
    ),
    "date_range_invalid": (
        "日期范围不正确：开始日期不能晚于结束日期，且最多 {max_days} 天。",
        "Invalid date range: the start must not be after the end, and at most {max_days} days.",
    ),
    "tracker_unavailable": (
        "暂时无法读取对话记录，请稍后再试。",
        "The conversation records cannot be read right now. Please try again shortly.",
    ),
    "internal_error": ("服务暂时出错，请稍后再试。", "Something went wrong on our side. Please try again."),
}


def message(code: str, lang: str, **params: object) -> str:
    zh, en = MESSAGES[code]
    return (en if lang == "en" else zh).format(**params)


def pick(lang: str, zh: str, en: str) -> str:
    """Choose the text of a bilingual pair stored as two columns."""
    return en if lang == "en" else zh


def working_days(days: int) -> tuple[str, str]:
    """A number of working days in both languages ("3 个工作日", "3 working days")."""
    return f"{days} 个工作日", f"{days} working day" + ("" if days == 1 else "s")


def language_from_header(header: str | None) -> str | None:
    """First supported language in an Accept-Language header, honouring q-values."""
    if not header:
        return None
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def request_language(request: Request, preferred: str | None = None) -> str:
    """?lang= first, then Accept-Language, then the customer's preference, then Chinese."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    if preferred is None:
        preferred = getattr(request.state, "preferred_language", None)
    return language_from_header(request.headers.get("accept-language")) or (
        preferred if preferred in LANGUAGES else DEFAULT_LANGUAGE
    )
