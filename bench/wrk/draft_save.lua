-- Save a workshop draft through the autosave endpoint, as the page's script does.
-- Each wrk thread is one signed-in trainee with one connection, so its saves follow each
-- other and each names the revision the previous save returned, as the page does; a save
-- that names a stale revision would be refused (409) and counted as bad.
-- args[1]: a file with one line per thread: "cookie<TAB>revision<TAB>form body without it".
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
      local first = line:find("\t", 1, true)
      local second = line:find("\t", first + 1, true)
      cookie = line:sub(1, first - 1)
      revision = line:sub(first + 1, second - 1)
      form = line:sub(second + 1)
    end
  end
  bad = 0
end

function request()
  return wrk.format("POST", nil, {
    ["Cookie"] = cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
  }, form .. "&revision=" .. revision)
end

function response(status, headers, body)
  -- Keep the session cookie the app sends again (once a minute), as a browser does.
  local renewed = (headers["Set-Cookie"] or ""):match("^(session=[^;]*)")
  if renewed then cookie = cookie:gsub("session=[^;]*", renewed) end
  local saved = body:match('"revision":%s*(%d+)')
  if status == 200 and saved then revision = saved else bad = bad + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("NOT-200 %d\n", total))
end
