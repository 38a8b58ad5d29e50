-- Sandbox escape: the os library is not opened.
local lg = require "linkgate"
lg.rule {
  id = "escape.os", on = "linkname", severity = "error",
  check = function()
    os.execute("touch /tmp/linkgate-escape-os")
    return "ESCAPED"
  end,
}
