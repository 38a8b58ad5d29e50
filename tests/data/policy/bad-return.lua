-- check must return nil, a string or {message=, hint=}.
local lg = require "linkgate"
lg.rule {
  id = "bad.return", on = "linkname", severity = "error",
  check = function()
    return false
  end,
}
