-- A policy for tests/t3000-policy-engine.sh: lg.log output, and a rule that
-- hangs inside a C function on a long pushed line.
local lg = require "linkgate"

lg.log("engine.lua loaded")

lg.rule {
  id = "engine.log", on = "checklinkname-off", severity = "warning",
  summary = "logs what it sees",
  check = function(f)
    lg.log("saw", f.path, "\27[31mred\27[0m")
  end,
}

lg.rule {
  id = "engine.pattern", on = "checklinkname-off", severity = "error",
  summary = "a Lua pattern that backtracks catastrophically on long lines",
  check = function(f)
    if #f.text > 1000 and f.text:find(".-.-.-.-.-.-.-.-x$") then
      return "matched"
    end
  end,
}
