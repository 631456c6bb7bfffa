"""What the engine tells people when it refuses something, in every language (see texts.py)."""

from .texts import Catalog

MESSAGES = Catalog(
    {
        "process_not_deployed": {
            "zh-CN": "流程“{process_id}”尚未部署",
            "en": "no process '{process_id}' is deployed",
        },
        "version_unknown": {
            "zh-CN": "流程“{process_id}”没有第 {number} 版",
            "en": "process '{process_id}' has no version {number}",
        },
        "version_file_unknown": {
            "zh-CN": "流程“{process_id}”第 {version} 版中没有文件“{name}”",
            "en": "version {version} of '{process_id}' has no file '{name}'",
        },
        "step_unknown": {
            "zh-CN": "此版本中没有步骤“{step}”",
            "en": "no step '{step}' in this version",
        },
        "instance_unknown": {"zh-CN": "没有编号为 {instance} 的流程实例", "en": "no instance {instance}"},
        "event_unknown": {
            "zh-CN": "流程实例 {instance} 没有第 {seq} 条事件",
            "en": "instance {instance} has no event {seq}",
        },
        "history_diverges": {
            "zh-CN": "历史记录无法重放：第 {seq} 条事件：{reason}",
            "en": "the history does not replay: event {seq}: {reason}",
        },
        # -- why a history does not replay (replay.py, hash_chain.py, rows.py): a verdict's reason
        "event_missing": {"zh-CN": "缺少第 {seq} 条事件", "en": "event {seq} is missing"},
        "event_unlinked": {
            "zh-CN": "未与前一条事件相链接（prev_hash 不符）",
            "en": "does not link to the event before it",
        },
        "event_hash_differs": {
            "zh-CN": "事件内容与其哈希值不符",
            "en": "its content does not match its hash",
        },
        "history_ends_early": {
            "zh-CN": "历史记录止于第 {ends} 条事件，而流程实例记录的最后一条事件是第 {last} 条",
            "en": "the history ends at event {ends}, but the instance's last event is {last}",
        },
        "last_hash_differs": {
            "zh-CN": "第 {seq} 条事件不是流程实例记录的最后一条事件（其 last_hash 不符）",
            "en": "event {seq} is not the last event the instance recorded (its last_hash differs)",
        },
        "replay_state_differs": {
            "zh-CN": "重放“{event:event_types}”事件得到的状态与随该事件记录的状态不一致",
            "en": "replaying '{event}' does not produce the state recorded with it",
        },
        "replay_fails": {
            "zh-CN": "重放“{event:event_types}”事件时出错：{problem}",
            "en": "replaying '{event}' fails: {problem}",
        },
        "replay_no_start": {"zh-CN": "历史记录中没有流程的启动", "en": "the history records no start"},
        "stored_state_differs": {
            "zh-CN": "存储的状态与历史记录重放得出的状态不一致",
            "en": "the stored state differs from what the history produces",
        },
        "open_work_item": {"zh-CN": "待办事项", "en": "open work item"},
        "due_timer": {"zh-CN": "计时器", "en": "due timer"},
        "row_differs": {
            "zh-CN": "{kind}“{step:steps}”：数据库中的 {field} 为 {stored}，历史记录得出 {derived}",
            "en": "{kind} '{step}': {field} is {stored} in the database, the history gives {derived}",
        },
        "row_only_stored": {
            "zh-CN": "{kind}“{step:steps}”在数据库中，但不在历史记录中",
            "en": "{kind} '{step}' is in the database but not in the history",
        },
        "row_only_derived": {
            "zh-CN": "{kind}“{step:steps}”在历史记录中，但不在数据库中",
            "en": "{kind} '{step}' is in the history but not in the database",
        },
        "log_nodes_missing": {
            "zh-CN": "透明日志缺少 {count} 个节点：已被改写；请运行透明日志的全面核查（transparency check）",
            "en": "the transparency log lacks {count} nodes: it was rewritten; run its full check (transparency check)",
        },
        # -- what the transparency log's full check finds amiss (transparency_log.py)
        "log_leaf_missing": {
            "zh-CN": "透明日志中缺少第 {position} 个叶节点",
            "en": "leaf {position} is missing from the log",
        },
        "log_event_gone": {
            "zh-CN": "第 {position} 个叶节点：其事件（编号 {event}）已不在历史记录中",
            "en": "leaf {position}: its event (id {event}) is gone from the history",
        },
        "log_leaf_differs": {
            "zh-CN": "第 {position} 个叶节点：流程实例 {instance} 的第 {seq} 条事件与透明日志所记录的不符",
            "en": "leaf {position}: event {seq} of instance {instance} is not the event the log holds",
        },
        "log_event_unlogged": {
            "zh-CN": "流程实例 {instance} 的第 {seq} 条事件既不在透明日志中，也不在等待记入",
            "en": "event {seq} of instance {instance} is neither in the log nor waiting for it",
        },
        "package_file_twice": {
            "zh-CN": "文件名“{name}”为空或重复",
            "en": "file name '{name}' is empty or appears twice",
        },
        "file_name_too_long": {
            "zh-CN": "文件名“{name}”超过 {limit} 个字符",
            "en": "file name '{name}' is longer than {limit} characters",
        },
        "too_long": {
            "zh-CN": "此元素的 {attribute} 超过 {limit} 个字符",
            "en": "this element's {attribute} is longer than {limit} characters",
        },
        "package_too_large": {
            "zh-CN": "一个流程包最多 {files} 个文件、{size} 字节",
            "en": "a package holds at most {files} files and {size} bytes",
        },
        "zip_too_large": {
            "zh-CN": "“{name}”解压后超过 {size} 字节",
            "en": "'{name}' unpacks to more than {size} bytes",
        },
        "not_a_zip": {"zh-CN": "“{name}”不是 zip 文件：{problem}", "en": "'{name}' is not a zip file: {problem}"},
        "package_errors": {
            "zh-CN": "流程包有 {count} 处错误",
            "en": "the package has {count} error(s)",
        },
        # -- problems of a package, each with its file, element and line (engine/package.py, checks.py)
        "unknown_file_type": {
            "zh-CN": "无法识别的文件类型：流程包只能包含 .bpmn、.dmn 和 .json 文件",
            "en": "unknown file type: a package holds .bpmn, .dmn and .json files",
        },
        "no_executable_process": {
            "zh-CN": "流程包中没有可执行的流程：请放入 .bpmn 文件及其用到的 .dmn 和表单",
            "en": "the package has no executable process: include the .bpmn files with the .dmn and forms they use",
        },
        "doctype_refused": {
            "zh-CN": "不允许文档类型声明和实体：请删除 <!DOCTYPE>",
            "en": "document type declarations and entities are not allowed: remove the <!DOCTYPE>",
        },
        "not_xml": {"zh-CN": "不是格式正确的 XML：{problem}", "en": "not well-formed XML: {problem}"},
        "flow_reference_unknown": {
            "zh-CN": "引用了不存在的连线“{flow}”：请画出该连线或删除此引用",
            "en": "refers to sequence flow '{flow}', which does not exist: draw the flow or remove the reference",
        },
        "flow_end_unknown": {
            "zh-CN": "连线的 {end} 指向“{target}”，此文件中没有这个元素：请把连线两端接到图中的元素上",
            "en": "the flow's {end} is '{target}', which is no element of this file: connect both ends of the flow",
        },
        "flow_end_unknown_near": {
            "zh-CN": "连线的 {end} 指向“{target}”，此文件中没有这个元素：是否应为“{near}”？",
            "en": "the flow's {end} is '{target}', which is no element of this file: did you mean '{near}'?",
        },
        "flow_end_elsewhere": {
            "zh-CN": "连线的 {end} 指向“{target}”（第 {line} 行），它不是与此连线同在一个流程或子流程中的步骤："
            "请把连线接到同一流程中的步骤上",
            "en": "the flow's {end} is '{target}' (line {line}), which is not a step of the flow's own process or "
            "sub-process: connect the flow to a step beside it",
        },
        "id_invalid": {
            "zh-CN": "“{value}”不是合法的 id：id 须以字母或 _ 开头，只能包含字母、数字、-、_ 和 .（不能有空格或冒号）",
            "en": "'{value}' is not a valid id: ids must start with a letter or _ and contain only letters, "
            "digits, -, _ and . (no spaces or colons)",
        },
        "id_twice": {
            "zh-CN": "id“{value}”被多个元素使用：同一文件中每个 id 只能出现一次，请改名",
            "en": "id '{value}' is given to more than one element: each id may appear once in a file; rename one",
        },
        "attribute_missing": {
            "zh-CN": "{element} 缺少属性 {attribute}：请补上",
            "en": "{element} has no {attribute}: add it",
        },
        "sample_not_object": {
            "zh-CN": '样例数据须是一个 JSON 对象（{{"名称": 值, ...}}）',
            "en": 'sample data must be a JSON object ({{"name": value, ...}})',
        },
        "schema_invalid": {
            "zh-CN": "不符合 BPMN 规范：{problem}",
            "en": "does not follow the BPMN schema: {problem}",
        },
        "spiff_refuses": {
            "zh-CN": "SpiffWorkflow 无法读取：{problem}",
            "en": "SpiffWorkflow cannot read it: {problem}",
        },
        "not_json": {"zh-CN": "不是合法的 JSON：{problem}", "en": "not valid JSON: {problem}"},
        "not_json_schema": {
            "zh-CN": "不是合法的 JSON Schema：{problem}",
            "en": "not a valid JSON Schema: {problem}",
        },
        "pattern_backtracks": {
            "zh-CN": "正则表达式“{pattern}”在不匹配的输入上会回溯数秒之久（重复套重复或可重叠的分支）："
            "请改写，例如把 (a+)+ 写成 a+",
            "en": "the pattern '{pattern}' can take seconds on input it does not match (a repeat inside a "
            "repeat, or branches that overlap): rewrite it, e.g. (a+)+ as a+",
        },
        "ref_unresolved": {
            "zh-CN": "$ref“{ref}”在本表单中找不到：表单只能引用自身的部分（如 #/$defs/地址）",
            "en": "$ref '{ref}' names no part of this form: a form may refer only to its own parts (#/$defs/...)",
        },
        "called_process_unknown": {
            "zh-CN": "调用的流程“{process}”不在流程包中：请加入它的 .bpmn 文件，或调用以下之一：{known}",
            "en": "calls process '{process}', which is not in the package: add its .bpmn file or call one of {known}",
        },
        "call_cycle": {
            "zh-CN": "调用活动构成循环：{cycle}：一个流程不能直接或间接调用自己",
            "en": "call activities form a cycle: {cycle}: a process may not call itself, directly or through others",
        },
        "decision_unknown": {
            "zh-CN": "决策“{decision}”不在流程包中：请加入定义它的 .dmn 文件（包中的决策：{known}）",
            "en": "decision '{decision}' is not in the package: add the .dmn file that defines it "
            "(decisions in the package: {known})",
        },
        "decision_input_empty": {
            "zh-CN": "决策表的输入列没有表达式：请写上该列要检验的值的表达式",
            "en": "the decision table's input column has no expression: write the expression whose value it tests",
        },
        "decision_unused_input_empty": {
            "zh-CN": "决策表的输入列没有表达式；此决策未被使用，但一旦使用就会出错",
            "en": "the decision table's input column has no expression; the decision is not used, but would fail",
        },
        "lane_not_role": {
            "zh-CN": "泳道“{lane}”不是已知角色；请使用以下之一：{roles}",
            "en": "lane '{lane}' is not a known role; use one of {roles}",
        },
        "trial_lane_not_role": {
            "zh-CN": "泳道“{lane}”不是已知角色：试运行时由设计人员办理此任务",
            "en": "lane '{lane}' is not a known role: in a trial run the designer works this task",
        },
        "user_task_no_form": {
            "zh-CN": "用户任务没有表单（{property}）：将只是一个没有字段的确认",
            "en": "user task has no form ({property}): it will be an acknowledgement with no fields",
        },
        "form_file_missing": {
            "zh-CN": "表单文件“{name}”不在流程包中：请加入该文件或更正文件名",
            "en": "form file '{name}' is not in the package: add it or correct the name",
        },
        "form_file_not_schema": {
            "zh-CN": "表单文件“{name}”不是合法的 JSON Schema：{problem}",
            "en": "form file '{name}' is not a valid JSON Schema: {problem}",
        },
        "sandbox_refuses": {
            "zh-CN": "“{source}”被沙箱拒绝：{problem}",
            "en": "'{source}' is refused by the sandbox: {problem}",
        },
        # -- what the sandbox refuses (guards.py, isolation.py, sandbox.py, sandbox_worker.py)
        "sandbox_import": {
            "zh-CN": "第 {line} 行：不允许使用 import 语句；请使用引擎提供的辅助函数",
            "en": "Line {line}: import statements are not allowed; use the helpers the engine provides",
        },
        "sandbox_private_name": {
            "zh-CN": "第 {line} 行：名称“{name}”以下划线开头，沙箱中不能使用",
            "en": 'Line {line}: "{name}" is an invalid variable name because it starts with "_"',
        },
        "sandbox_private_attribute": {
            "zh-CN": "第 {line} 行：属性“{name}”以下划线开头，沙箱中不能访问",
            "en": 'Line {line}: "{name}" is an invalid attribute name because it starts with "_".',
        },
        "sandbox_restricted_name": {
            "zh-CN": "第 {line} 行：沙箱中不能访问“{name}”",
            "en": 'Line {line}: "{name}" is a restricted name, that is forbidden to access in RestrictedPython.',
        },
        "sandbox_reserved_name": {
            "zh-CN": "第 {line} 行：“{name}”是保留名称",
            "en": 'Line {line}: "{name}" is a reserved name.',
        },
        "sandbox_call_refused": {
            "zh-CN": "第 {line} 行：沙箱中不能调用 {name}",
            "en": "Line {line}: {name} calls are not allowed.",
        },
        "sandbox_statement_refused": {
            "zh-CN": "第 {line} 行：沙箱中不能使用 {name} 语句",
            "en": "Line {line}: {name} statements are not allowed.",
        },
        "sandbox_refusals": {"zh-CN": "{first}；{rest}", "en": "{first}; {rest}"},
        "sandbox_at_line": {"zh-CN": "{problem}（第 {line} 行）", "en": "{problem} (line {line})"},
        "sandbox_too_many_items": {
            "zh-CN": "结果有 {count} 项：沙箱最多允许 {most} 项",
            "en": "a result of {count} items: the sandbox allows {most}",
        },
        "sandbox_too_many_characters": {
            "zh-CN": "结果有 {count} 个字符：沙箱最多允许 {most} 个",
            "en": "a result of {count} characters: the sandbox allows {most}",
        },
        "sandbox_power_too_large": {
            "zh-CN": "沙箱中不计算这么大的乘方",
            "en": "a power that large is not computed in the sandbox",
        },
        "sandbox_shift_too_large": {
            "zh-CN": "沙箱中不计算超过 {bits} 位的移位",
            "en": "a shift to more than {bits} bits is not computed in the sandbox",
        },
        "sandbox_star_width": {
            "zh-CN": "沙箱中的 % 格式化不允许使用“*”宽度",
            "en": "'*' widths in %-formatting are not allowed in the sandbox",
        },
        "sandbox_operator_unavailable": {
            "zh-CN": "沙箱中不能使用运算符“{op}”",
            "en": "'{op}' is not available in the sandbox",
        },
        "sandbox_cpu": {
            "zh-CN": "代码使用的 CPU 时间超过 {seconds} 秒",
            "en": "the code used more than {seconds} s of CPU",
        },
        "sandbox_memory": {
            "zh-CN": "代码所需的内存超过沙箱允许的上限",
            "en": "the code needed more memory than the sandbox allows",
        },
        "sandbox_no_answer": {
            "zh-CN": "代码在 {seconds} 秒内没有应答",
            "en": "the code gave no answer within {seconds} s",
        },
        "sandbox_worker_stopped": {
            "zh-CN": "运行代码时沙箱进程停止了（退出码 {code}）",
            "en": "the sandbox worker stopped (exit code {code}) while it ran the code",
        },
        "sandbox_busy": {
            "zh-CN": "所有沙箱进程已持续繁忙 {seconds} 秒",
            "en": "every sandbox worker stayed busy for {seconds} s",
        },
        "sandbox_too_many_calls": {
            "zh-CN": "代码调用引擎辅助函数超过 {most} 次",
            "en": "the code called the engine's helpers more than {most} times",
        },
        "sandbox_data_not_passed": {
            "zh-CN": "流程数据无法交给沙箱：{problem}",
            "en": "the process data cannot be passed to the sandbox: {problem}",
        },
        "sandbox_hides_helpers": {
            "zh-CN": "任务数据中的字段会遮蔽辅助函数 {names}：请给这些字段改名",
            "en": "task data would hide the helper(s) {names}: rename the field(s)",
        },
        "value_not_finite": {
            "zh-CN": "“{name}”含有 NaN 或无穷大：流程数据只能保存有限的数",
            "en": "'{name}' holds NaN or an infinity: process data holds finite numbers only",
        },
        "result_not_finite": {
            "zh-CN": "结果含有 NaN 或无穷大：流程数据只能保存有限的数",
            "en": "the result holds NaN or an infinity: process data holds finite numbers only",
        },
        "value_not_data": {
            "zh-CN": "“{name}”是 {type}，流程数据无法保存这种值",
            "en": "'{name}' is a {type}, which process data cannot hold",
        },
        "result_not_data": {
            "zh-CN": "结果是 {type}，流程数据无法保存这种值",
            "en": "the result is a {type}, which process data cannot hold",
        },
        "code_raised": {"zh-CN": "代码引发了 {kind}", "en": "the code raised {kind}"},
        "code_raised_saying": {"zh-CN": "代码引发了 {kind}：{message}", "en": "the code raised {kind}: {message}"},
        "expression_failed": {
            "zh-CN": "表达式“{expression}”出错：{problem}",
            "en": "expression '{expression}' failed: {problem}",
        },
        "sandbox_lacks": {
            "zh-CN": "脚本调用了 {name}()，沙箱中没有这个函数：请直接写出所需的变量名",
            "en": "the script calls {name}(), which the sandbox does not offer: name the variables you need",
        },
        "service_task": {
            "zh-CN": "服务任务无法运行：本服务不调用外部服务；请改用脚本任务",
            "en": "service tasks cannot run here: this service calls no outside services; use a script task",
        },
        "input_expression_refused": {
            "zh-CN": "输入表达式“{source}”被沙箱拒绝：{problem}",
            "en": "input expression '{source}' is refused by the sandbox: {problem}",
        },
        "output_cell_refused": {
            "zh-CN": "输出单元格“{source}”被沙箱拒绝：{problem}",
            "en": "output cell '{source}' is refused by the sandbox: {problem}",
        },
        "input_cell_refused": {
            "zh-CN": "输入单元格“{cell}”既不是值，也不是沙箱接受的比较",
            "en": "input cell '{cell}' is neither a value nor a comparison the sandbox accepts",
        },
        "input_cell_too_many_placeholders": {
            "zh-CN": "输入单元格用了 {count} 个“?”，最多 {most} 个：请拆成几条规则或几列",
            "en": "an input cell uses '?' {count} times, at most {most} are allowed: split it into rules or columns",
        },
        "timer_needs_name": {
            "zh-CN": "计时表达式“{expression}”用到了未定义的名称（{problem}）："
            '请给字面量加引号（"P3D"）或在样例数据中加入该名称',
            "en": "'{expression}' needs a name that is not defined ({problem}): quote a literal (\"P3D\") or add "
            "the name to the sample data",
        },
        "timer_needs_sample": {
            "zh-CN": "计时表达式“{expression}”用到了未定义的名称（{problem}）：请加入 <流程>.sample.json 以便检查",
            "en": "'{expression}' needs a name that is not defined ({problem}): add <process>.sample.json with it "
            "so the timer can be checked",
        },
        "timer_empty": {
            "zh-CN": "计时没有表达式：请写上一个 {kind}",
            "en": "the timer has no expression: give it an {kind}",
        },
        "timer_fails": {
            "zh-CN": "计时表达式“{expression}”在样例数据上出错：{problem}",
            "en": "'{expression}' fails on the sample data: {problem}",
        },
        "timer_invalid_value": {
            "zh-CN": "计时表达式“{expression}”得到 {value}，不是合法的 {kind}：{problem}",
            "en": "'{expression}' gives {value}, which is not a valid {kind}: {problem}",
        },
        "gateway_no_default": {
            "zh-CN": "没有默认连线：没有条件成立时流程将出错停止",
            "en": "no default flow: when no condition holds, the process stops with an error",
        },
        "not_waiting_for_message": {
            "zh-CN": "流程实例 {instance} 没有在等待消息“{name}”",
            "en": "instance {instance} is not waiting for message '{name}'",
        },
        "nothing_to_go_back_to": {
            "zh-CN": "流程实例 {instance}：{problem}：无法退回",
            "en": "instance {instance}: {problem}: nothing to go back to",
        },
        "cannot_migrate": {
            "zh-CN": "流程实例 {instance} 无法迁移到第 {version} 版",
            "en": "instance {instance} cannot move to version {version}",
        },
        "task_taken": {
            "zh-CN": "任务“{step:steps}”已不再待办：刚刚已有他人办理",
            "en": "task '{step:steps}' is no longer open: someone else completed it just now",
        },
        "task_unknown": {"zh-CN": "没有编号为 {task} 的任务", "en": "no task {task}"},
        "task_closed": {
            "zh-CN": "任务“{step:steps}”已不再待办（{outcome:task_outcomes}）",
            "en": "task '{step:steps}' is no longer open: it was {outcome}",
        },
        "task_completed_by": {
            "zh-CN": "任务“{step:steps}”已由 {by} 于 {at:time} 办理完毕",
            "en": "task '{step:steps}' was already completed by {by} at {at:time}",
        },
        "form_not_satisfied": {
            "zh-CN": "提交的数据不符合该任务的表单",
            "en": "the data does not satisfy the task's form",
        },
        "failed_after_step": {
            "zh-CN": "完成步骤“{step:steps}”后流程出错：{problem}",
            "en": "the process failed after '{step}': {problem}",
        },
        "failed_on_message": {
            "zh-CN": "流程在收到消息“{name}”时出错：{problem}",
            "en": "the process failed on message '{name}': {problem}",
        },
        "failed_after_timer": {
            "zh-CN": "计时到点后流程出错：{problem}",
            "en": "the process failed after a timer: {problem}",
        },
        "failed_going_back": {
            "zh-CN": "流程退回到步骤“{step:steps}”时出错：{problem}",
            "en": "the process failed going back to '{step}': {problem}",
        },
        "failed_migrating": {
            "zh-CN": "流程迁移到新版本时出错：{problem}",
            "en": "the process failed migrating: {problem}",
        },
        "next_task_unassigned": {
            "zh-CN": "无法分派下一个任务：{problem}",
            "en": "cannot assign the next task: {problem}",
        },
        # -- a decision evaluated outside any instance (decisions.py)
        "decision_missing": {
            "zh-CN": "流程包中没有决策“{decision}”",
            "en": "the package has no decision '{decision}'",
        },
        "decision_failed": {
            "zh-CN": "决策“{decision}”出错：{problem}",
            "en": "decision '{decision}' failed: {problem}",
        },
        "decision_no_rule_matches": {
            "zh-CN": "决策“{decision}”没有与输入（{names}）相符的规则：请加一条兜底规则（各输入单元格均为“-”）",
            "en": "no rule of decision '{decision}' matches its inputs ({names}): add a catch-all rule",
        },
        # -- a working-day calendar's refusals (calendar.py)
        "calendar_year_not_reckoned": {
            "zh-CN": "日历不推算 {year} 年（可推算 {first}–{last} 年）",
            "en": "{year} is not a year the calendar reckons ({first}-{last})",
        },
        "calendar_day_refused": {"zh-CN": "{where}：{problem}", "en": "{where}: {problem}"},
        "calendar_no_working_days": {
            "zh-CN": "自 {start:date} 起十年内没有 {days} 个工作日",
            "en": "no {days} working days within ten years of {start:date}",
        },
        # -- what is wrong with one field: an error's `fields`, shown beside the field
        "field_year_between": {"zh-CN": "须在 {first} 至 {last} 年之间", "en": "between {first} and {last}"},
        "field_day_outside_year": {"zh-CN": "{day:date}不在 {year} 年内", "en": "{day} is not in {year}"},
        "field_day_twice": {
            "zh-CN": "{day:date}重复列出（另见 {other}）",
            "en": "{day} is listed twice (also as {other})",
        },
        "field_not_a_date": {"zh-CN": "不是日期（格式应为 YYYY-MM-DD）", "en": "not a date (YYYY-MM-DD)"},
        "field_required": {"zh-CN": "此项必填", "en": "required"},
        "field_not_in_form": {"zh-CN": "表单中没有这个字段", "en": "not a field of this form"},
        "field_not_of_type": {"zh-CN": "类型不符：须为 {type}", "en": "not of type {type}"},
        "field_not_a_choice": {"zh-CN": "须为以下之一：{choices}", "en": "must be {choices}"},
        "field_too_short": {"zh-CN": "至少 {limit} 个字符", "en": "at least {limit} characters"},
        "field_too_long": {"zh-CN": "最多 {limit} 个字符", "en": "at most {limit} characters"},
        "field_below_minimum": {"zh-CN": "不得小于 {limit}", "en": "at least {limit}"},
        "field_above_maximum": {"zh-CN": "不得大于 {limit}", "en": "at most {limit}"},
        "field_not_of_format": {"zh-CN": "不是有效的 {format}", "en": "not a valid {format}"},
        "field_not_the_value": {"zh-CN": "须为 {value}", "en": "must be {value}"},
        "field_left_out_here": {"zh-CN": "此处不应填写", "en": "must be left out here"},
        "field_not_matching": {"zh-CN": "不符合格式 {pattern}", "en": "does not match {pattern}"},
        "field_not_above": {"zh-CN": "须大于 {limit}", "en": "more than {limit}"},
        "field_not_below": {"zh-CN": "须小于 {limit}", "en": "less than {limit}"},
        "field_not_a_multiple": {"zh-CN": "须为 {limit} 的倍数", "en": "a multiple of {limit}"},
        "field_too_few_items": {"zh-CN": "至少 {limit} 项", "en": "at least {limit} item(s)"},
        "field_too_many_items": {"zh-CN": "最多 {limit} 项", "en": "at most {limit} item(s)"},
        "field_items_repeat": {"zh-CN": "各项不得重复", "en": "items repeat"},
        "field_breaks_form_rule": {"zh-CN": "不符合表单规则 {keyword}", "en": "breaks the form's rule {keyword}"},
        "field_process_unknown": {"zh-CN": "没有这个流程", "en": "unknown process"},
        "field_decision_unknown": {"zh-CN": "没有这个决策", "en": "unknown decision"},
        "field_version_unknown": {"zh-CN": "没有这个版本", "en": "unknown version"},
        "field_name_longer_than": {
            "zh-CN": "有文件名超过 {limit} 个字符",
            "en": "a name longer than {limit} characters",
        },
        "field_name_empty": {"zh-CN": "有文件名为空", "en": "an empty name"},
        "field_file_twice": {"zh-CN": "“{name}”出现了两次", "en": "'{name}' twice"},
        "field_unpacks_too_large": {"zh-CN": "“{name}”解压后过大", "en": "'{name}' unpacks too large"},
        "field_not_a_zip": {"zh-CN": "“{name}”不是 zip 文件", "en": "'{name}' is not a zip file"},
        "field_package_too_large": {"zh-CN": "文件过多或总量过大", "en": "too large"},
        "changed_meanwhile": {
            "zh-CN": "该记录刚刚已被他人修改：请重新加载后再试",
            "en": "the record was changed by someone else at the same time: reload and try again",
        },
    }
)
