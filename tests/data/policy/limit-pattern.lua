-- A Lua pattern that backtracks catastrophically over a long pushed
-- string: the time goes inside string.find, where the count hook never
-- runs, so only killing the evaluation process stops it.
local lg = require "linkgate"
lg.rule {
  id = "limit.pattern", on = "linkname", severity = "error",
  check = function(f)
    if f.text:find(".-.-.-.-.-.-.-.-x$") then
      return "matched"
    end
  end,
}
