-- Policy B must see pristine libraries whatever A did.
local lg = require "linkgate"
lg.rule {
  id = "tamper.b", on = "linkname", severity = "warning",
  check = function()
    local bad = {}
    if ("abc"):upper() ~= "ABC" then bad[#bad + 1] = "method upper" end
    if string.upper("x") ~= "X" then bad[#bad + 1] = "string.upper" end
    if string.rep == nil then bad[#bad + 1] = "string.rep" end
    if table.concat == nil then bad[#bad + 1] = "table.concat" end
    if ipairs == nil then bad[#bad + 1] = "ipairs" end
    if shared_by_a ~= nil then bad[#bad + 1] = "global" end
    if lg.config.issue_pattern == ".*" then bad[#bad + 1] = "config" end
    if lg.config.trailers.issue ~= "Issue" then bad[#bad + 1] = "config.trailers" end
    if getmetatable("") ~= false then bad[#bad + 1] = "metatable visible" end
    if #bad > 0 then
      return "tampered: " .. table.concat(bad, ",")
    end
    return "unaffected"
  end,
}
