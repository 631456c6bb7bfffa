// bpmn-js, its properties panel and dmn-js word their own UI in English; in the Chinese console the words a
// designer meets most (the palette, the context pad, the panel's general group, the decision table's
// headers) are given in Chinese through their `translate` service. Anything not listed stays English.
import i18n from "../../i18n";

const ZH_CN: Record<string, string> = {
  // palette and context pad
  "Activate hand tool": "抓手工具",
  "Activate lasso tool": "套索工具",
  "Activate create/remove space tool": "插入/删除空间工具",
  "Activate global connect tool": "全局连线工具",
  "Create start event": "创建开始事件",
  "Create intermediate/boundary event": "创建中间/边界事件",
  "Create end event": "创建结束事件",
  "Create gateway": "创建网关",
  "Create task": "创建任务",
  "Create expanded sub-process": "创建展开的子流程",
  "Create data object reference": "创建数据对象引用",
  "Create data store reference": "创建数据存储引用",
  "Create pool/participant": "创建池/参与者",
  "Create group": "创建分组",
  "Append end event": "追加结束事件",
  "Append gateway": "追加网关",
  "Append task": "追加任务",
  "Append intermediate/boundary event": "追加中间/边界事件",
  "Append timer intermediate catch event": "追加定时中间事件",
  "Change element": "更改元素类型",
  "Delete": "删除",
  "Connect to other element": "连接到其他元素",
  "Connect using association": "用关联连接",
  "Add text annotation": "添加文字注释",
  // properties panel
  "General": "基本信息",
  "Name": "名称",
  "ID": "标识（ID）",
  "Documentation": "说明",
  "Element documentation": "元素说明",
  "Process documentation": "流程说明",
  "Condition": "条件",
  "Condition expression": "条件表达式",
  "Timer": "计时器",
  "Message": "消息",
  "ID must not be empty.": "标识不能为空。",
  "ID must not contain spaces.": "标识不能含空格。",
  // decision tables
  "When": "当",
  "And": "且",
  "Then": "则",
  "Annotations": "注释",
  "Hit policy:": "命中策略：",
  "Hit policy": "命中策略",
  "View DRD": "查看决策需求图",
  "Input": "输入",
  "Output": "输出",
  "Input label": "输入标签",
  "Output label": "输出标签",
  "Add rule": "添加规则",
  "Remove rule": "删除规则",
};

/** The `translate` service: the template in the console's language, with {placeholders} filled in. */
function translate(template: string, replacements: Record<string, string> = {}): string {
  const worded = i18n.language === "zh-CN" ? (ZH_CN[template] ?? template) : template;
  return worded.replace(/{([^}]+)}/g, (whole, key: string) => replacements[key] ?? whole);
}

/** A module for bpmn-js's `additionalModules` (and dmn-js's `common.additionalModules`). */
export const TranslateModule = { translate: ["value", translate] };
