-- The closed loop for wrk (bench/server_bench.py): each connection reports an appeal, then for every step
-- lists the appeal's tasks as the step's role and completes the step's task, then reports the next one.
--
--   wrk -t N -c N -d 20s -s bench/closed_loop.lua http://127.0.0.1:PORT -- PLAN_FILE
--
-- One connection per thread (-t equal to -c): wrk calls request() and response() per thread, so the state
-- of an appeal in flight is the thread's. The plan file, written by server_bench.py, has one line per call:
--   report TOKEN BODY            then, for each step in order,   step NAME TOKEN BODY
-- The answers are JSON with sorted keys; an appeal's id is read from its first task's "appeal_id", a
-- task's from the object in the list whose "step" is the step's name. Any other answer than the one
-- expected counts as an error and the thread starts a new appeal.

local plan = { steps = {} }
local state = { call = "report", appeal = nil, step = 1, task = nil }
counts = { report = 0, list_tasks = 0, complete = 0, closed = 0, errors = 0 }

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1]), "the plan file")
  for line in file:lines() do
    local kind, rest = line:match("^(%S+) (.*)$")
    if kind == "report" then
      local token, body = rest:match("^(%S+) (.*)$")
      plan.report = { token = token, body = body }
    else
      local name, token, body = rest:match("^(%S+) (%S+) (.*)$")
      table.insert(plan.steps, { name = name, token = token, body = body })
    end
  end
  file:close()
end

local function headers(token)
  return { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
end

function request()
  if state.call == "report" then
    return wrk.format("POST", "/api/v1/appeals", headers(plan.report.token), plan.report.body)
  end
  local step = plan.steps[state.step]
  if state.call == "list_tasks" then
    return wrk.format("GET", "/api/v1/tasks?appeal=" .. state.appeal, headers(step.token))
  end
  return wrk.format("POST", "/api/v1/tasks/" .. state.task .. "/complete", headers(step.token), step.body)
end

local function task_of(body, name)
  for task in body:gmatch("%b{}") do
    if task:find('"step":"' .. name .. '"', 1, true) then
      return task:match('"id":"([^"]+)"')
    end
  end
end

local function failed()
  counts.errors = counts.errors + 1
  state.call, state.step = "report", 1
end

function response(status, _headers, body)
  if state.call == "report" then
    counts.report = counts.report + 1
    state.appeal = status == 201 and body:match('"appeal_id":(%d+)')
    if not state.appeal then return failed() end
    state.call = "list_tasks"
  elseif state.call == "list_tasks" then
    counts.list_tasks = counts.list_tasks + 1
    state.task = status == 200 and task_of(body, plan.steps[state.step].name)
    if not state.task then return failed() end
    state.call = "complete"
  else
    counts.complete = counts.complete + 1
    if status ~= 200 then return failed() end
    if state.step < #plan.steps then
      state.step, state.call = state.step + 1, "list_tasks"
    else
      if body:find('"status":"closed"', 1, true) then counts.closed = counts.closed + 1 else counts.errors = counts.errors + 1 end
      state.step, state.call = 1, "report"
    end
  end
end

-- The last line wrk prints is JSON for server_bench.py: wrk's own figures and the threads' counts summed.
function done(summary, latency, _requests)
  local sum = { report = 0, list_tasks = 0, complete = 0, closed = 0, errors = 0 }
  for _, thread in ipairs(threads) do
    local counted = thread:get("counts")
    for key, value in pairs(counted) do sum[key] = sum[key] + value end
  end
  io.write(string.format(
    '{"seconds": %.3f, "requests": %d, "non_2xx": %d, "socket_errors": %d, "p50_ms": %.2f, "p99_ms": %.2f, '
      .. '"max_ms": %.2f, "reports": %d, "task_lists": %d, "completions": %d, "closed": %d, "errors": %d}\n',
    summary.duration / 1e6, summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    sum.report, sum.list_tasks, sum.complete, sum.closed, sum.errors))
end
