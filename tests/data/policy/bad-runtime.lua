-- A policy that raises while a rule runs: a runtime error, not a pass.
local lg = require "linkgate"
lg.rule {
  id = "bad.runtime", on = "linkname", severity = "error",
  check = function(f)
    return f.rationale.owner:upper() .. f.nothing.here
  end,
}
