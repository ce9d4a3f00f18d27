-- Save a workshop draft through the autosave endpoint, as the page's script does: the form's
-- fields as one JSON object, with the headers a browser adds to a same-site post.
-- Each wrk thread is one signed-in trainee with one connection, so its saves follow each
-- other and each names the revision the previous save returned, as the page does; a save
-- that names a stale revision would be refused (409) and counted as bad. Each save also names
-- the results and coverage the previous one returned, so that, like the page, it gets their
-- HTML only when they changed.
-- args[1]: a file with one line per thread:
-- "cookie<TAB>revision<TAB>draft as a JSON object without the revision".
local threads = {}
local count = 0

function setup(thread)
  count = count + 1
  thread:set("number", count)
  table.insert(threads, thread)
end

function init(args)
  local line_number = 0
  for line in io.lines(args[1]) do
    line_number = line_number + 1
    if line_number == number then
      local fields = {}
      for field in line:gmatch("[^\t]+") do table.insert(fields, field) end
      cookie, revision, draft = fields[1], fields[2], fields[3]
    end
  end
  results_key, coverage_key = "", ""
  bad = 0
end

function request()
  local body = draft:sub(1, -2) .. string.format(
    ',"revision":"%s","results_key":"%s","coverage_key":"%s"}',
    revision, results_key, coverage_key)
  return wrk.format("POST", nil, {
    ["Cookie"] = cookie,
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
    ["Sec-Fetch-Site"] = "same-origin",
  }, body)
end

function response(status, headers, body)
  -- Keep the session cookie the app sends again, as a browser does.
  local renewed = (headers["Set-Cookie"] or ""):match("^(session=[^;]*)")
  if renewed then cookie = cookie:gsub("session=[^;]*", renewed) end
  local saved = body:match('"revision":%s*(%d+)')
  if status == 200 and saved then
    revision = saved
    results_key = body:match('"results_key":"(%x+)"') or ""
    coverage_key = body:match('"coverage_key":"(%x+)"') or ""
  else
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("NOT-200 %d\n", total))
end
