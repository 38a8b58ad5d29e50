-- Runs builtin:default's rules on findings carrying tree facts
-- (file.build.go_versions, file.module_go, fallback, target_check,
-- siblings, ci, rationale.expired) of every shape, including the unknown
-- and error ones, without a repository; t2100-facts.sh runs them on facts
-- computed from real trees. The C test passes the default policy's source in
-- params.default_source; each scenario becomes a rule "facts.<name>".
local lg = require "linkgate"

local captured = {}
local fake = setmetatable({ rule = function(def) captured[def.id] = def end }, { __index = lg })
local env = setmetatable({ require = function() return fake end }, { __index = _G })
assert(load(lg.params.default_source, "=builtin:default", "t", env))()

local NIL = {}

-- A plain copy of f with the facts laid over it (maps merge, lists and
-- scalars replace, NIL removes).
local function merge(base, over)
  local out = {}
  for k, v in pairs(base) do
    out[k] = v
  end
  for k, v in pairs(over) do
    if v == NIL then
      out[k] = nil
    elseif type(v) == "table" and v[1] == nil and next(v) ~= nil and type(out[k]) == "table" then
      out[k] = merge(out[k], v)
    else
      out[k] = v
    end
  end
  return out
end

local scenarios = {
  { "bc-upper-open", "linkname.build-constraint", { file = { build = { expr = "go1.21", go_versions = { { 21 } } } } } },
  { "bc-lower-open", "linkname.build-constraint",
    { file = { build = { expr = "!go1.24", go_versions = { { nil, 23 } } } } } },
  { "bc-lower-gomod", "linkname.build-constraint",
    { file = { module_go = 20, build = { expr = "!go1.24", go_versions = { { nil, 23 } } } } } },
  { "bc-none", "linkname.build-constraint", { file = { build = { expr = NIL, go_versions = { { nil, nil } } } } } },
  { "bc-bounded", "linkname.build-constraint",
    { file = { build = { expr = "go1.21 && !go1.24", go_versions = { { 21, 23 } } } } } },
  { "bc-other-module", "linkname.build-constraint",
    { target_class = "other-module", file = { build = { expr = "go1.21", go_versions = { { 21 } } } } } },
  { "fb-gap", "linkname.fallback", { fallback = { gaps = { { 24 } }, overlaps = {} } } },
  { "fb-overlap", "linkname.fallback", { fallback = { path = "clock_old.go", gaps = {}, overlaps = { { 22, 22 } } } } },
  { "fb-ok", "linkname.fallback", { fallback = { path = "clock_old.go", gaps = {}, overlaps = {} } } },
  { "te-missing", "linkname.target-exists",
    { target_check = { { go = 21, exists = true, shape_ok = true }, { go = 23, exists = false } } } },
  { "te-ok", "linkname.target-exists", { target_check = { { go = 21, exists = true, shape_ok = true } } } },
  { "sig-mismatch", "linkname.signature",
    { target_check = { { go = 22, exists = true, shape_ok = false, detail = "2 results, the target has 1" } } } },
  { "sig-ok", "linkname.signature", { target_check = { { go = 22, exists = true, shape_ok = true } } } },
  { "sc-shared", "linkname.shared-constraint", { siblings = { { target = "runtime.cputicks" } } } },
  { "sc-alone", "linkname.shared-constraint", { siblings = {} } },
  { "ci-missing", "linkname.ci-matrix",
    { ci = { versions = { "1.22" }, tip = false }, file = { build = { go_versions = { { 21, 23 } } } } } },
  { "ci-ok", "linkname.ci-matrix",
    { ci = { versions = { "1.22", "go1.24", 20 }, tip = true }, file = { build = { go_versions = { { 21, 23 } } } } } },
  { "ci-absent", "linkname.ci-matrix", { file = { build = { go_versions = { { 21, 23 } } } } } },
  { "bc-error", "linkname.build-constraint",
    { file = { build = { expr = "go1.21 &&", go_versions = NIL, error = "parsing //go:build line: unexpected end of expression" } } } },
  { "bc-unknown", "linkname.build-constraint", { file = { build = { expr = "go1.21", go_versions = NIL } } } },
  { "fb-error", "linkname.fallback", { fallback = { error = "x.go: parsing //go:build line: missing )" } } },
  { "fb-gap-where", "linkname.fallback",
    { fallback = { path = "clock_old.go", gaps = { { 21, 23, where = "GOOS=windows" } }, overlaps = {} } } },
  { "sc-not-version", "linkname.shared-constraint",
    { siblings = { { target = "runtime.cputicks" } }, file = { build = { expr = "linux && amd64" } } } },
  { "re-expired", "linkname.removal-expired",
    { rationale = { removal_go = 23, expired = true }, file = { gomod = "go.mod", module_go = 24 } } },
  { "re-not-expired", "linkname.removal-expired",
    { rationale = { removal_go = 25, expired = false }, file = { gomod = "go.mod", module_go = 24 } } },
}

for _, s in ipairs(scenarios) do
  local name, id, facts = s[1], s[2], s[3]
  local def = assert(captured[id], id)
  lg.rule {
    id = "facts." .. name, on = def.on, severity = def.severity,
    check = function(f, ctx)
      return def.check(merge(f, facts), ctx)
    end,
  }
end
