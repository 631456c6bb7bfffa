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
        "log_nodes_missing": {
            "zh-CN": "透明日志缺少 {count} 个节点：已被改写；请运行 flask --app app transparency check",
            "en": "the transparency log lacks {count} nodes: it was rewritten; run flask --app app transparency check",
        },
        "package_file_twice": {
            "zh-CN": "文件名“{name}”为空或重复",
            "en": "file name '{name}' is empty or appears twice",
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
        "changed_meanwhile": {
            "zh-CN": "该记录刚刚已被他人修改：请重新加载后再试",
            "en": "the record was changed by someone else at the same time: reload and try again",
        },
    }
)
