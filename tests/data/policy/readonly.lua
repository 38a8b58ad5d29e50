-- Findings are read-only, nested tables too; reading works as usual.
local lg = require "linkgate"
local function attempt(name, fn)
  lg.rule {
    id = "readonly." .. name, on = "linkname", severity = "error",
    check = function(f, ctx)
      fn(f, ctx)
      return "ESCAPED"
    end,
  }
end
attempt("field", function(f) f.path = "elsewhere.go" end)
attempt("rawset", function(f) rawset(f, "path", "elsewhere.go") end)
attempt("nested", function(f) f.commit.id = "0" end)
attempt("list", function(f) table.insert(f.commit.trailers, { key = "Issue", value = "X-1" }) end)
attempt("ctx", function(f, ctx) ctx.push.pusher = "root" end)
attempt("setmetatable", function(f) setmetatable(f, nil) end)
-- pairs() hands out the proxies' iterator: it must serve proxies only.
attempt("iterator", function(f)
  local iter = pairs(f)
  local k, v = iter(setmetatable({}, { __index = { hidden = {} } }))
  if k == "hidden" then v.x = 1 end
end)
lg.rule {
  id = "readonly.read", on = "linkname", severity = "warning",
  check = function(f, ctx)
    local keys = 0
    for _ in pairs(f) do keys = keys + 1 end
    local trailers = {}
    for i, t in ipairs(f.commit.trailers) do trailers[i] = t.key .. "=" .. t.value end
    return ("%s:%d %s keys>10=%s n=%d mt=%s %s rationale=%s"):format(f.path, f.line, f.kind,
      tostring(keys > 10), #f.commit.trailers, tostring(getmetatable(f)), table.concat(trailers, ";"),
      tostring(f.rationale.present))
  end,
}
