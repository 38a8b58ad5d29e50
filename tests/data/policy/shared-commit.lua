-- Findings of one commit share one commit table (built once).
local lg = require "linkgate"
local first
lg.rule {
  id = "shared.commit", on = "linkname", severity = "warning",
  check = function(f, ctx)
    if not first then
      first = { commit = f.commit, push = f.push, ctx = ctx }
      return "first"
    end
    return ("commit %s, push %s, ctx %s"):format(tostring(rawequal(first.commit, f.commit)),
      tostring(rawequal(first.push, f.push)), tostring(rawequal(first.ctx, ctx)))
  end,
}
