-- print would write to the hook's stdout; policies use lg.log.
local lg = require "linkgate"
lg.rule {
  id = "escape.print", on = "linkname", severity = "error",
  check = function()
    print("hello")
    return "ESCAPED"
  end,
}
