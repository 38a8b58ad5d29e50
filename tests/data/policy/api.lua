-- The linkgate module's helpers: each rule returns what it computed, and
-- the C test compares the text.
local lg = require "linkgate"

local function show(...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do
    out[i] = tostring((select(i, ...)))
  end
  return table.concat(out, ",")
end

local function rule(id, fn)
  lg.rule { id = "api." .. id, on = "linkname", severity = "warning", check = fn }
end

rule("date", function()
  return show(lg.date("1970-01-01"), lg.date("2024-02-29"), lg.date("2023-02-29"), lg.date("2024-06-31"),
    lg.date("0001-01-01"), lg.date("9999-12-31"), lg.date("1969-12-31"), lg.date("2024-6-1"),
    lg.date(" 2024-06-01"), lg.date("2024-06-01T00:00"), lg.date("2024-00-10"), lg.date("2024-01-00"),
    lg.date("1900-02-29"), lg.date("2000-02-29"), lg.date(20240601), lg.date(nil), lg.date("２024-01-01"))
end)

rule("now", function()
  return show(lg.now(), math.type(lg.now()))
end)

rule("go-version-cmp", function()
  local c = lg.go_version_cmp
  return show(c("go1.21", "go1.21"), c("go1.21", "go1.22"), c("go1.22", "go1.21"), c("1.21.3", "go1.21.10"),
    c("go1.21", "go1.21rc1"), c("go1.21rc1", "go1.21.0"), c("go1.21rc2", "go1.21rc10"),
    c("go1.22beta1", "go1.22rc1"), c("go1.9", "go1.10"), c("go1", "go1.0"), c("2", "go1.99"),
    c("go1.21.0", "1.21.0"), select(2, pcall(c, "go1.x", "go1.21")))
end)

rule("trailer", function(f)
  local c = f.commit
  return show(lg.trailer(c, "Issue"), lg.trailer(c, "issue"), lg.trailer(c, "ISSUE"), lg.trailer(c, "Nope"),
    #lg.trailers(c, "issue"), table.concat(lg.trailers(c, "Issue"), "+"), #lg.trailers(c, "nope"),
    lg.trailer(f, "Owner"), lg.trailer(nil, "Issue"), #lg.trailers(nil, "Issue"),
    select(2, pcall(lg.trailer, 42, "Issue")))
end)

rule("regex", function()
  local re = lg.regex("^([A-Z]+)-([0-9]+)$")
  local m1, m2, m3 = re:match("PROJ-123")
  local opt = lg.regex("(a)|(b)")
  local o1, o2, o3 = opt:match("b")
  local ci = lg.regex("^proj-\\d+$", "i")
  local utf = lg.regex("^.{3}$")
  return show(m1, m2, m3, re:match("proj-1"), re:test("PROJ-1"), re:test("x"), o1, o2, o3,
    ci:test("PROJ-12"), utf:test("äöü"), utf:test("ab\255"), lg.regex("b"):test("a\255b"),
    select(2, pcall(lg.regex, "(")), select(2, pcall(lg.regex, "x", "q")))
end)

rule("regex-bomb", function()
  local re = lg.regex("^(a+)+$")
  local subject = ("a"):rep(5000) .. "b"
  local ok, err = pcall(re.test, re, subject)
  local ok2, err2 = pcall(re.match, re, subject)
  return show(ok, err, ok2, err2)
end)

rule("regex-bomb-raises", function()
  return tostring(lg.regex("^(a|a)*$"):match(("a"):rep(3000) .. "b"))
end)

rule("regex-subject", function()
  local re = lg.regex("x")
  local ok, err = pcall(re.test, re, ("y"):rep(2 * 1024 * 1024))
  return show(ok, err)
end)

rule("log", function()
  lg.log("hello", 42, nil, true)
  lg.log("line with \27[31m escape")
  return "logged"
end)

rule("config", function(f, ctx)
  local cfg = lg.config
  local team = {}
  for i, m in ipairs(cfg.signoff.team) do
    team[i] = (m.user or "-") .. "/" .. (m.email or "-") .. "/" .. (m.principal or "-")
  end
  return show(cfg.mode, cfg.scope, cfg.trailers.issue, cfg.trailers.owner, cfg.trailers.remove_by,
    cfg.trailers.signoff, cfg.issue_pattern, #cfg.owners, cfg.owners[1], cfg.signoff.verify,
    table.concat(team, ";"), cfg.removal.max_days, ctx.config == cfg)
end)

rule("params", function()
  local p = lg.params
  return show(p.name, p.count, p.flag, #p.list, p.list[2], p.map.inner)
end)

rule("ctx", function(f, ctx)
  local u = ctx.push.updates[1]
  return show(ctx.push.pusher, #ctx.push.options, ctx.push.options[1], #ctx.push.updates, u.ref, u.old:sub(1, 4),
    u.new:sub(1, 4), u.create, f.push == ctx.push, f.ref)
end)

rule("finding", function(f)
  local c = f.commit
  local s = c.signoffs[1]
  return show(f.kind, f.path, f.line, f.text, f.localname, f.target, f.target_pkg, f.target_sym, f.target_class,
    f.malformed, f.vendored, f.file.package, f.file.is_test, f.file.imports_unsafe, f.file.build.expr,
    f.file.build.misplaced, f.rationale.present, f.rationale.line, f.rationale.owner, c.id:sub(1, 8), c.summary,
    c.author, c.signature.present, c.signature.verified, c.signature.signer, s.value, s.verified, s.signer,
    s.commit:sub(1, 8), f.carrier)
end)

rule("require", function()
  local ok, err = pcall(require, "string")
  return show(require("linkgate") == lg, ok, err)
end)

rule("load", function()
  local fn = load("return os, lg, string.upper('x')")
  local a, b, c = fn()
  local env = { y = 2 }
  local g = load("x = 1; return y", "chunk", "t", env)
  local y = g()
  return show(a, b, c, y, env.x, x)
end)
