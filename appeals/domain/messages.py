"""Every message the service (and its HTTP API) tells people, in zh-CN and en, with named placeholders.

Callers raise or store `MESSAGES.text(key, **params)`; the words are chosen when someone reads it (see
engine/texts.py), with codes named through the translation table (vocabulary.json).
"""

from engine import Catalog, Text

from . import vocabulary

MESSAGES = Catalog(
    {
        # notifications
        "reminder": {
            "zh-CN": "诉求 {number}：“{step:steps}”须在 {due:time} 前办结",
            "en": "appeal {number}: '{step:steps}' must be done by {due:time}",
        },
        "reminder_no_limit": {
            "zh-CN": "诉求 {number}：“{step:steps}”即将到期",
            "en": "appeal {number}: '{step:steps}' must be done soon",
        },
        "manual_reminder": {
            "zh-CN": "催办：诉求 {number}“{step:steps}”须在 {due:time} 前办结。{note}",
            "en": "reminder sent by hand: appeal {number}, '{step:steps}' must be done by {due:time}. {note}",
        },
        "manual_reminder_no_limit": {
            "zh-CN": "催办：诉求 {number}“{step:steps}”。{note}",
            "en": "reminder sent by hand: appeal {number}, '{step:steps}'. {note}",
        },
        "claim_reminder": {
            "zh-CN": "您领办的诉求 {number} 须在 {due:time} 前办结",
            "en": "the appeal {number} you claimed must be done by {due:time}",
        },
        "supervision": {
            "zh-CN": "诉求 {number} 已提交领导督办，请阅示",
            "en": "appeal {number} awaits your supervision",
        },
        # who may do what
        "token_required": {
            "zh-CN": "需要提供 Authorization: Bearer 令牌",
            "en": "an Authorization: Bearer token is required",
        },
        "token_invalid": {"zh-CN": "令牌无效", "en": "the token is not valid"},
        "token_revoked": {"zh-CN": "令牌已被撤销", "en": "the token was revoked"},
        "token_expired": {"zh-CN": "令牌已过期", "en": "the token has expired"},
        "too_many_attempts": {
            "zh-CN": "失败次数过多：请在 {seconds} 秒后重试",
            "en": "too many failed attempts: try again in {seconds} s",
        },
        "role_required": {
            "zh-CN": "此操作需要以下角色：{roles:roles}；您的角色是{role:roles}",
            "en": "this needs the role {roles:roles}; you are {role:roles}",
        },
        "password_length": {
            "zh-CN": "密码长度须为 {least} 至 {most} 个字符",
            "en": "a password has {least} to {most} characters",
        },
        "password_link_unknown": {
            "zh-CN": "设置密码链接无效：请向管理员索取新的链接",
            "en": "this set-password link is not valid: ask an administrator for a new one",
        },
        "password_link_used": {
            "zh-CN": "此设置密码链接已使用过：请直接登录，或向管理员索取新的链接",
            "en": "this set-password link was already used: sign in, or ask an administrator for a new one",
        },
        "password_link_expired": {
            "zh-CN": "此设置密码链接已过期：请向管理员索取新的链接",
            "en": "this set-password link has expired: ask an administrator for a new one",
        },
        "wrong_password": {"zh-CN": "用户名或密码错误", "en": "wrong name or password"},
        "csrf_required": {
            "zh-CN": "写操作须带上本会话的 X-CSRF-Token 请求头",
            "en": "a write needs the session's X-CSRF-Token header",
        },
        "session_ended": {
            "zh-CN": "未登录，或会话已结束：请重新登录",
            "en": "not signed in, or the session has ended: sign in again",
        },
        "unit_outside": {
            "zh-CN": "单位“{unit}”不在您的单位之内",
            "en": "unit '{unit}' is outside your unit",
        },
        "task_not_yours": {
            "zh-CN": "任务“{step:steps}”应由单位 {unit} 的{lane:roles}办理；您是单位 {your_unit} 的{role:roles}",
            "en": "task '{step:steps}' is for the {lane:roles} of unit {unit}; you are {role:roles} of {your_unit}",
        },
        "task_not_yours_to_act": {
            "zh-CN": "任务“{step:steps}”不由您办理",
            "en": "task '{step:steps}' is not yours to act on",
        },
        "contact_not_for_auditors": {
            "zh-CN": "审计人员只查阅、不改动，不能查看反映人的完整联系方式",
            "en": "auditors read and change nothing: they cannot unmask a reporter's contact",
        },
        "reporter_confidential": {
            "zh-CN": "保密诉求的反映人信息不向办理人员显示",
            "en": "the reporter of a confidential appeal is not shown to handlers",
        },
        # unknown things
        "appeal_unknown": {"zh-CN": "没有编号为 {appeal} 的诉求", "en": "no appeal {appeal}"},
        "diagram_unknown": {
            "zh-CN": "诉求 {appeal} 没有按流程 {process_id} 第 {version} 版办理过",
            "en": "appeal {appeal} did not run on version {version} of process {process_id}",
        },
        "trial_instance_unknown": {
            "zh-CN": "没有编号为 {instance} 的试运行实例",
            "en": "no trial instance {instance}",
        },
        "extension_unknown": {"zh-CN": "没有编号为 {extension} 的延期申请", "en": "no extension {extension}"},
        "unit_unknown": {"zh-CN": "没有单位“{unit}”", "en": "no unit '{unit}'"},
        "user_unknown": {"zh-CN": "没有用户“{name}”", "en": "no user '{name}'"},
        # data that cannot be taken
        "role_unknown": {"zh-CN": "未知角色“{role}”", "en": "unknown role '{role}'"},
        "unit_required": {"zh-CN": "{role:roles}用户须属于一个单位", "en": "a {role} user needs a unit"},
        "user_exists": {"zh-CN": "用户“{name}”已存在", "en": "user '{name}' exists already"},
        "revoke_yourself": {
            "zh-CN": "不能停用您自己的账号：请另一位管理员操作",
            "en": "you cannot revoke yourself: ask another administrator",
        },
        "level_unknown": {"zh-CN": "未知层级“{level}”", "en": "unknown level '{level}'"},
        "unit_exists": {"zh-CN": "单位“{unit}”已存在", "en": "unit '{unit}' exists already"},
        "parent_required": {
            "zh-CN": "{level:levels}单位的上级须是{parent:levels}单位",
            "en": "a {level} unit needs a {parent} parent",
        },
        "district_has_no_parent": {"zh-CN": "区（县）单位没有上级", "en": "a district has no parent"},
        "duplicate_of_unknown": {
            "zh-CN": "duplicate_of 须为您可查阅的另一件诉求的编号",
            "en": "duplicate_of must name another appeal that you may read",
        },
        "duplicate_of_duplicate": {
            "zh-CN": "诉求 {number} 本身是重复件：请填写它所重复的诉求",
            "en": "appeal {number} is itself a duplicate: name the appeal it repeats",
        },
        "claim_limit_behind": {"zh-CN": "领办时限须在今天或以后", "en": "a claim's limit must lie ahead"},
        "claim_limit_too_far": {"zh-CN": "领办时限须在一年之内", "en": "a claim's limit must lie within a year"},
        "claim_of_closed": {
            "zh-CN": "诉求 {number} 已办结：没有可领办的内容",
            "en": "appeal {number} is closed: there is nothing left to complete",
        },
        "not_claimed": {"zh-CN": "诉求 {number} 未被领办", "en": "appeal {number} is not claimed"},
        "release_not_yours": {
            "zh-CN": "诉求 {number} 由 {leader} 领办：只有本人可以取消",
            "en": "appeal {number} is claimed by {leader}: only they may release it",
        },
        "nothing_to_remind": {
            "zh-CN": "诉求 {number} 没有待办任务可催办",
            "en": "appeal {number} has no open task to remind of",
        },
        "task_not_open_on_appeal": {
            "zh-CN": "诉求 {number} 没有待办任务 {task}",
            "en": "appeal {number} has no open task {task}",
        },
        "notification_unknown": {
            "zh-CN": "没有发给您的编号为 {notification} 的通知",
            "en": "no notification {notification} for you",
        },
        "promised_past": {
            "zh-CN": "承诺办结日期须晚于今天（{today:date}）",
            "en": "promised_date must be after today ({today:date})",
        },
        "promised_far": {
            "zh-CN": "承诺办结日期须在一年之内（不晚于 {latest:date}）",
            "en": "promised_date must be within a year, by {latest:date}",
        },
        "period_empty": {"zh-CN": "统计期间为空", "en": "the period is empty"},
        "not_a_month": {"zh-CN": "“{month}”不是月份（YYYY-MM）", "en": "not a month: '{month}'"},
        "no_limit_to_extend": {
            "zh-CN": "此任务没有可延长的时限",
            "en": "this task has no time limit to extend",
        },
        "limit_ran_out": {
            "zh-CN": "时限已于 {due:time} 届满：延期须在届满前申请",
            "en": "the limit ran out at {due:time}: an extension must be asked for before",
        },
        "extension_not_later": {
            "zh-CN": "延期须晚于原时限",
            "en": "an extension must move the limit later",
        },
        "extension_pending": {
            "zh-CN": "此任务已有一份延期申请在等待审批",
            "en": "an extension of this task is waiting for a decision already",
        },
        "extension_decided": {
            "zh-CN": "延期申请 {extension} 已是“{status:extension_statuses}”状态",
            "en": "extension {extension} was {status} already",
        },
        "claimed_already": {
            "zh-CN": "诉求 {number} 已由 {leader} 领办",
            "en": "appeal {number} is claimed by {leader} already",
        },
        "return_window_closed": {
            "zh-CN": "诉求只能在 {until:time} 之前退回重新分派",
            "en": "an appeal can be returned to collation only until {until:time}",
        },
        "return_not_allowed": {
            "zh-CN": "此诉求不能退回重新分派",
            "en": "an appeal can be returned to collation only until its dispatch",
        },
        # attachments
        "attachment_empty": {"zh-CN": "文件是空的", "en": "the file is empty"},
        "attachment_too_large": {
            "zh-CN": "文件超过 {megabytes} MB 的上限",
            "en": "the file is larger than the limit of {megabytes} MB",
        },
        "attachment_too_many_pixels": {
            "zh-CN": "图片超过 {megapixels} 百万像素的上限",
            "en": "the image has more than {megapixels} megapixels",
        },
        "attachment_type_refused": {
            "zh-CN": "只能上传 JPEG、PNG、WebP、GIF 图片或 PDF 文件",
            "en": "only JPEG, PNG, WebP or GIF images and PDF files may be attached",
        },
        "attachment_name_mismatch": {
            "zh-CN": "文件内容与扩展名 {extension} 不符（应为 {expected}）",
            "en": "the file's content does not match its extension {extension} (it is {expected})",
        },
        "attachment_unreadable": {"zh-CN": "图片无法读取", "en": "the image cannot be read"},
        "attachment_unknown": {"zh-CN": "没有编号为 {attachment} 的附件", "en": "there is no attachment {attachment}"},
        "attachment_no_thumbnail": {"zh-CN": "此附件不是图片，没有缩略图", "en": "this attachment is not an image"},
        "attachment_file_missing": {
            "zh-CN": "附件 {id} 的文件不在存储目录中，请联系管理员",
            "en": "the file of attachment {id} is missing from storage: tell an administrator",
        },
        "appeal_closed_for_attachments": {
            "zh-CN": "诉求 {number} 已办结，不能再添加附件",
            "en": "appeal {number} is closed: no attachment can be added",
        },
        # the request itself
        "malformed": {"zh-CN": "请求格式错误", "en": "the request is malformed"},
        "schema_mismatch": {"zh-CN": "请求与接口定义不符", "en": "the request does not match the schema"},
        "body_too_deep": {
            "zh-CN": "请求体嵌套超过 {levels} 层",
            "en": "the body nests deeper than {levels} levels",
        },
        "list_too_long": {
            "zh-CN": "请求体中的列表超过 {items} 项",
            "en": "a list in the body has more than {items} items",
        },
        "not_a_finite_number": {
            "zh-CN": "{field}：数值不能是 NaN 或无穷大",
            "en": "{field}: a number may not be NaN or an infinity",
        },
        "nul_character": {
            "zh-CN": "{field}：文本中不能含有 NUL 字符（U+0000）",
            "en": "{field}: no text may hold the NUL character (U+0000)",
        },
        "edit_not_newest": {
            "zh-CN": "流程“{process_id}”第 {version} 版已不是最新版（最新为第 {newest} 版），请打开最新版再编辑",
            "en": "version {version} of '{process_id}' is no longer the newest (that is {newest}): edit the newest",
        },
        "edit_unknown_file": {
            "zh-CN": "第 {version} 版的流程包中没有文件“{name}”",
            "en": "the package of version {version} holds no file '{name}'",
        },
        "not_unicode": {
            "zh-CN": "{field}：文本不是有效的 Unicode（含未配对的代理项 U+D800–U+DFFF，或不是 UTF-8 的字节）",
            "en": "{field}: the text is not valid Unicode (an unpaired surrogate U+D800–U+DFFF, or bytes not in UTF-8)",
        },
        "package_as_files": {
            "zh-CN": "请以 multipart 文件（或一个 .zip）上传流程包",
            "en": "send the package as multipart files (or one .zip)",
        },
        "concurrent_write": {
            "zh-CN": "他人同时修改了此内容：请重试",
            "en": "someone else changed this at the same time: try again",
        },
        "internal": {
            "zh-CN": "内部错误：请求未被执行",
            "en": "internal error: the request was not carried out",
        },
        "not_found": {"zh-CN": "没有这个地址", "en": "the requested URL was not found on the server"},
        "method_not_allowed": {"zh-CN": "此地址不接受该请求方法", "en": "the method is not allowed for this URL"},
        "too_large": {"zh-CN": "请求体过大", "en": "the request body is too large"},
        "unsupported_media_type": {"zh-CN": "不支持的内容类型", "en": "the content type is not supported"},
        "http_error": {"zh-CN": "请求未被执行", "en": "the request was not carried out"},
        # auditing
        "record_differs": {
            "zh-CN": "诉求记录的 {field} 为 {stored}，历史记录得出 {derived}",
            "en": "the appeal record's {field} is {stored}, the history gives {derived}",
        },
        # the command line (appeals/adapters/cli.py), to operators
        "cli_unit_added": {"zh-CN": "单位 {code}（{level:levels}）已添加", "en": "unit {code} ({level}) added"},
        "cli_user_added": {
            "zh-CN": "已添加用户 {name}：{role:roles}；令牌：",
            "en": "user {name} ({role}) added; token:",
        },
        "cli_user_added_to_unit": {
            "zh-CN": "已添加用户 {name}：{role:roles}，单位 {unit}；令牌：",
            "en": "user {name} ({role}, {unit}) added; token:",
        },
        "cli_token_revoked": {"zh-CN": "用户 {name}：令牌已吊销", "en": "user {name}: token revoked"},
        "cli_password_prompt": {"zh-CN": "密码", "en": "Password"},
        "cli_password_again": {"zh-CN": "请再次输入密码", "en": "Repeat for confirmation"},
        "cli_password_set": {"zh-CN": "用户 {name}：密码已设置", "en": "user {name}: password set"},
        "cli_password_link": {
            "zh-CN": "用户 {name}：设置密码的一次性链接，{until:time} 前有效；请在控制台中打开：",
            "en": "user {name}: a set-password link, usable once until {until:time}; open it in the console at:",
        },
        "cli_sweep_failed": {"zh-CN": "计时扫描失败：{problem}", "en": "timer sweep failed: {problem}"},
        "cli_timers_not_fired": {
            "zh-CN": "流程实例 {instance}：计时未触发：{problem}",
            "en": "instance {instance}: timers not fired: {problem}",
        },
        "cli_now_needs_once": {"zh-CN": "--now 须与 --once 一起使用", "en": "--now goes with --once"},
        "cli_deployed": {"zh-CN": "已部署：{versions}", "en": "deployed: {versions}"},
        "cli_already_deployed": {"zh-CN": "此前已部署：{versions}", "en": "already deployed: {versions}"},
        "cli_warning": {"zh-CN": "警告：{problem}", "en": "warning: {problem}"},
        "cli_not_a_schedule": {"zh-CN": "不是节假日安排：{problem}", "en": "not a schedule: {problem}"},
        "cli_calendar_loaded": {
            "zh-CN": "{year} 年：{holidays} 个节假日，{workdays} 个调休上班的周末日；{replanned} 个流程已重新计算时限",
            "en": "{year}: {holidays} holidays, {workdays} worked weekend days; {replanned} processes re-planned",
        },
        "cli_year_loaded": {
            "zh-CN": "{year} 年：官方安排（由 {by} 于 {at:time} 导入）",
            "en": "{year}: official (loaded by {by} at {at:time})",
        },
        "cli_year_in_package": {
            "zh-CN": "{year} 年：官方安排（chinesecalendar 软件包）",
            "en": "{year}: official (chinesecalendar package)",
        },
        "cli_year_provisional": {
            "zh-CN": "{year} 年：暂定（周末和法定节假日按规则推算）",
            "en": "{year}: provisional (weekends and statutory holidays by rule)",
        },
        "cli_year_missing": {
            "zh-CN": "{status}；缺失：官方安排应已发布",
            "en": "{status}; MISSING: its official schedule is due",
        },
        "cli_appeal_or_all": {"zh-CN": "请给出诉求编号 APPEAL 或 --all", "en": "give an APPEAL id or --all"},
        "cli_replay_consistent": {
            "zh-CN": "诉求 {appeal}（{number}）：{events} 条事件，一致",
            "en": "appeal {appeal} ({number}): {events} events, consistent",
        },
        "cli_replay_inconsistent": {
            "zh-CN": "诉求 {appeal}（{number}）：{events} 条事件，自第 {seq} 条事件起不一致：{reason}",
            "en": "appeal {appeal} ({number}): {events} events, INCONSISTENT at event {seq}: {reason}",
        },
        "cli_anonymised": {"zh-CN": "{count} 件诉求已匿名化", "en": "{count} appeals anonymised"},
        "cli_log_rewritten": {"zh-CN": "已被改写：{problem}", "en": "REWRITTEN: {problem}"},
        "cli_log_consistent": {
            "zh-CN": "一致：{count} 个已签署的树头均成立",
            "en": "consistent: {count} signed heads hold",
        },
        "cli_database_up_to_date": {"zh-CN": "数据库已是最新", "en": "database is up to date"},
        "cli_report_written": {"zh-CN": "已写入：{path}", "en": "written: {path}"},
        "cli_not_a_moment": {"zh-CN": "不是 ISO 8601 日期时间：{text}", "en": "not an ISO 8601 date-time: {text}"},
        "cli_moment_needs_zone": {
            "zh-CN": "请给出时区，例如 2026-10-09T09:00:00+08:00",
            "en": "give a time zone, e.g. 2026-10-09T09:00:00+08:00",
        },
        # what is wrong with one field: an error's `fields`, shown beside the field in the console
        "field_after_today": {"zh-CN": "须晚于今天（{today:date}）", "en": "must be after today ({today:date})"},
        "field_within_a_year_by": {
            "zh-CN": "须在一年之内，不晚于 {latest:date}",
            "en": "must be within a year, by {latest:date}",
        },
        "field_no_readable_appeal": {
            "zh-CN": "没有您可查阅的其他诉求使用此编号",
            "en": "no other appeal you may read has this number",
        },
        "field_original_is_duplicate": {
            "zh-CN": "该诉求本身是重复诉求：请填写它所重复的原诉求编号",
            "en": "this appeal is itself a duplicate: name the appeal it repeats",
        },
        "field_appeal_closed": {"zh-CN": "诉求已办结", "en": "closed"},
        "field_claim_taken": {"zh-CN": "已被他人领办", "en": "taken"},
        "field_claimed_by": {"zh-CN": "由 {leader} 领办", "en": "claimed by {leader}"},
        "field_nothing_to_release": {"zh-CN": "未被领办，无可取消", "en": "nothing to release"},
        "field_today_or_later": {"zh-CN": "须为今天或以后的日期", "en": "today or a later day"},
        "field_within_a_year": {"zh-CN": "须在一年之内", "en": "within a year"},
        "field_not_an_open_task": {"zh-CN": "不是该诉求的待办任务", "en": "not an open task of it"},
        "field_no_open_task": {"zh-CN": "没有待办任务", "en": "no open task"},
        "field_notification_unknown": {"zh-CN": "没有这条通知", "en": "unknown notification"},
        "field_one_of_levels": {"zh-CN": "须为{levels:levels}之一", "en": "one of {levels}"},
        "field_taken": {"zh-CN": "已被占用", "en": "already taken"},
        "field_parent_of_level": {
            "zh-CN": "须为{level:levels}单位的编码",
            "en": "the code of a {level} unit",
        },
        "field_no_parent_for_district": {"zh-CN": "区（县）级单位不填上级单位", "en": "leave it out for a district"},
        "field_unit_unknown": {"zh-CN": "没有这个单位编码", "en": "unknown unit code"},
        "field_file_empty": {"zh-CN": "文件为空", "en": "empty"},
        "field_type_not_allowed": {"zh-CN": "不允许上传此类文件", "en": "type not allowed"},
        "field_content_not_extension": {
            "zh-CN": "文件内容为 {sniffed}，与扩展名 {extension} 不符",
            "en": "the bytes are {sniffed}, not {extension}",
        },
        "field_larger_than": {"zh-CN": "超过 {size} 字节", "en": "larger than {size} bytes"},
        "field_pixels": {"zh-CN": "{width}×{height} 像素", "en": "{width}x{height} pixels"},
        "field_does_not_decode": {"zh-CN": "无法解码：文件已损坏或与其类型不符", "en": "does not decode"},
        "field_newest_version": {"zh-CN": "最新为第 {newest} 版", "en": "newest is {newest}"},
        "field_one_of_roles": {"zh-CN": "须为{roles:roles}之一", "en": "one of {roles}"},
        "field_required_for_role": {"zh-CN": "{role:roles}须填写", "en": "required for the role {role}"},
        "field_user_unknown": {"zh-CN": "没有这个用户", "en": "unknown user"},
        "field_yourself": {"zh-CN": "是您自己", "en": "yourself"},
        "field_wrong_name_or_password": {"zh-CN": "用户名或密码错误", "en": "wrong name or password"},
        "field_missing_or_wrong": {"zh-CN": "缺失或不正确", "en": "missing or wrong"},
        "field_link_unknown": {"zh-CN": "链接无效", "en": "unknown link"},
        "field_link_used": {"zh-CN": "链接已使用过", "en": "already used"},
        "field_link_expired": {"zh-CN": "链接已过期", "en": "expired"},
        "field_not_for_role": {"zh-CN": "{role:roles}不能执行此操作", "en": "not for the role {role}"},
        "field_no_limit": {"zh-CN": "此任务没有时限", "en": "no limit"},
        "field_after_day": {"zh-CN": "须晚于 {day:date}", "en": "after {day:date}"},
        "field_after_since": {"zh-CN": "须晚于起始时间（since）", "en": "must be after since"},
        "field_unit_not_within_yours": {
            "zh-CN": "不是您的单位或其下级单位",
            "en": "not your unit or below it",
        },
        "field_year_in_range": {
            "zh-CN": "年份须在 {first} 至 {last} 年之间",
            "en": "the year must lie between {first} and {last}",
        },
        "field_month_written": {
            "zh-CN": "月份的格式为 YYYY-MM，例如 2026-11",
            "en": "a month is YYYY-MM, e.g. 2026-11",
        },
        "field_period_too_long": {"zh-CN": "时段最长 {years} 年", "en": "a period is at most {years} years long"},
        "field_period_or_span": {
            "zh-CN": "请给出 period，或给出 since 和 until，不要同时给出",
            "en": "give period, or since and until, not both",
        },
        "field_span_or_period": {
            "zh-CN": "请给出 since 和 until，或给出 period",
            "en": "give since and until, or period",
        },
        "field_moment_forms": {
            "zh-CN": "须为日期（2026-12-01）或带时区偏移的日期时间（2026-12-01T00:00:00+08:00）",
            "en": "not a date (2026-12-01) or a date-time with its offset (2026-12-01T00:00:00+08:00)",
        },
        "field_moment_offset": {
            "zh-CN": "请给出时区偏移，例如 {example}+08:00，或只给日期",
            "en": "give the offset, e.g. {example}+08:00, or a plain date",
        },
        "field_too_many_keys": {
            "zh-CN": "最多 {most} 个键（含嵌套的键），收到 {sent} 个",
            "en": "at most {most} keys, nested ones counted: {sent} were sent",
        },
        "field_too_many_bytes": {
            "zh-CN": "JSON 最多 {most} 字节，收到 {sent} 字节",
            "en": "at most {most} bytes as JSON: {sent} were sent",
        },
        "field_give_with": {"zh-CN": "给出 {half} 时须同时给出 {other}", "en": "give {other} with {half}"},
        "field_no_files": {"zh-CN": "没有文件", "en": "no files"},
        "field_not_greater_than_to": {"zh-CN": "不能大于 to", "en": "not greater than to"},
        "field_no_head_of_size": {"zh-CN": "没有这一大小的签名树头", "en": "no signed head of this size"},
        "field_month_form": {
            "zh-CN": "须为 {first} 至 {last} 年间的月份，格式为 YYYY-MM（例如 2026-11）",
            "en": "a month of the years {first} to {last}, written YYYY-MM (e.g. 2026-11)",
        },
        # -- what is wrong with a request's body or text (api/limits.py)
        "field_bytes_or_more": {"zh-CN": "达到或超过 {size} 字节", "en": "{size} bytes or more"},
        "field_nested_levels": {"zh-CN": "嵌套 {levels} 层", "en": "nested {levels} levels"},
        "field_list_items": {"zh-CN": "列表有 {items} 项", "en": "{items} items"},
        "field_not_finite": {"zh-CN": "是 NaN 或无穷大", "en": "NaN or an infinity"},
        "field_not_utf8": {"zh-CN": "不是 UTF-8 编码", "en": "not UTF-8"},
        "field_nul_character": {"zh-CN": "含有 NUL 字符（U+0000）", "en": "contains U+0000"},
        "field_unpaired_surrogate": {
            "zh-CN": "含有未配对的代理项（U+D800–U+DFFF）",
            "en": "an unpaired surrogate",
        },
        # -- marshmallow's own words for a request's field (api/framework.py)
        "field_required": {"zh-CN": "此项必填", "en": "required"},
        "field_not_null": {"zh-CN": "不能为空值（null）", "en": "may not be null"},
        "field_unknown": {"zh-CN": "没有这个字段", "en": "unknown field"},
        "field_unknown_query_parameter": {"zh-CN": "没有这个查询参数", "en": "unknown query parameter"},
        "field_not_an_integer": {"zh-CN": "须为整数", "en": "not a valid integer"},
        "field_not_a_number": {"zh-CN": "须为数字", "en": "not a valid number"},
        "field_not_a_string": {"zh-CN": "须为文本", "en": "not a valid string"},
        "field_not_a_boolean": {"zh-CN": "须为 true 或 false", "en": "not a valid boolean"},
        "field_not_a_valid_date": {"zh-CN": "须为日期（YYYY-MM-DD）", "en": "not a valid date (YYYY-MM-DD)"},
        "field_not_a_datetime": {"zh-CN": "须为 ISO 8601 日期时间", "en": "not a valid ISO 8601 date-time"},
        "field_not_a_list": {"zh-CN": "须为列表", "en": "not a valid list"},
        "field_not_an_object": {"zh-CN": "须为对象（键值对）", "en": "not a valid object"},
        "field_not_json": {"zh-CN": "不是有效的 JSON", "en": "not valid JSON"},
        # -- a validator's refusal, with its bounds (api/validate.py)
        "field_length_between": {"zh-CN": "须为 {least} 至 {most} {unit}", "en": "{least} to {most} {unit}"},
        "field_length_at_least": {"zh-CN": "至少 {least} {unit}", "en": "at least {least} {unit}"},
        "field_length_at_most": {"zh-CN": "最多 {most} {unit}", "en": "at most {most} {unit}"},
        "field_length_exactly": {"zh-CN": "须为 {equal} {unit}", "en": "exactly {equal} {unit}"},
        "unit_characters": {"zh-CN": "个字符", "en": "characters"},
        "unit_items": {"zh-CN": "项", "en": "items"},
        "field_number_between": {"zh-CN": "须在 {least} 至 {most} 之间", "en": "from {least} to {most}"},
        "field_number_at_least": {"zh-CN": "不得小于 {least}", "en": "at least {least}"},
        "field_number_at_most": {"zh-CN": "不得大于 {most}", "en": "at most {most}"},
        "field_one_of": {"zh-CN": "须为以下之一：{choices}", "en": "must be {choices}"},
        "field_phone_number": {
            "zh-CN": "须为电话号码：只含数字、+、- 和空格",
            "en": "a phone number: digits, +, - and spaces",
        },
        # the transparency log
        "log_rewritten": {
            "zh-CN": "数据库中的透明日志（{size} 个事件）不是 {at:time} 签署的树头（{signed} 个事件）的延续："
            "已被改写；请运行 flask --app app transparency check",
            "en": "the log in the database ({size} events) does not extend the head signed at {at:time} "
            "({signed} events): it was rewritten; run flask --app app transparency check",
        },
        # -- what the transparency log's full check finds amiss in a signed head (services/tree_heads.py)
        "head_not_signed": {
            "zh-CN": "第 {number} 个树头（{at:time}）：不是用本日志的密钥签署的",
            "en": "head {number} ({at:time}): not signed by this log's key",
        },
        "head_smaller": {
            "zh-CN": "第 {number} 个树头（{at:time}）：比前一个树头小",
            "en": "head {number} ({at:time}): smaller than the head before it",
        },
        "head_size_gone": {
            "zh-CN": "第 {number} 个树头（{at:time}）：透明日志中已没有它的 {size} 个事件",
            "en": "head {number} ({at:time}): the log no longer has its {size} events",
        },
        "head_root_differs": {
            "zh-CN": "第 {number} 个树头（{at:time}）：历史记录已得不出它的根哈希："
            "前 {size} 个事件中有事件被改写或删除",
            "en": "head {number} ({at:time}): the history no longer gives its root: "
            "an event among the first {size} was rewritten or removed",
        },
        "head_unknown": {
            "zh-CN": "没有大小为 {size} 的已签署树头",
            "en": "no signed tree head has the size {size}",
        },
        "heads_out_of_order": {
            "zh-CN": "from 须不大于 to",
            "en": "from must not be greater than to",
        },
    }
)


def word(text: Text, *, language: str, zone: str) -> str:
    """`text` in `language`: its times in `zone`, its codes by their names in the translation table."""
    return text.render(language, zone=zone, names=vocabulary.name)
