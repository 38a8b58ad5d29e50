-- Regexes compiled and dropped in a loop are collected: their C memory
-- counts against the budget, and the collector is told about it.
local lg = require "linkgate"
lg.rule {
  id = "regex.churn", on = "linkname", severity = "warning",
  check = function()
    local hits = 0
    for i = 1, 3000 do
      local re = lg.regex(("(?:alpha|beta|gamma|delta)%d[a-z]{2,40}(?:x|y|z)*"):format(i))
      if re:test("beta" .. i .. "abcz") then
        hits = hits + 1
      end
    end
    return "hits " .. hits
  end,
}
