-- lg.log output is capped in count and length.
local lg = require "linkgate"
lg.rule {
  id = "log.flood", on = "linkname", severity = "warning",
  check = function()
    lg.log(("x"):rep(2000))
    for i = 2, 500 do
      lg.log("line", i)
    end
  end,
}
