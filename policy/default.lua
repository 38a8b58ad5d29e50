-- builtin:default — the policy linkgate ships (SPEC "The default policy").
--
-- Rule ids are stable: configurations switch rules off or to warnings by id
-- (rules: {linkname.ci-matrix: off}) and every rejection names its id.
-- Every failure returns {message=, hint=}: the message quotes what was
-- wrong, the hint says exactly what to write.
--
-- Scoping, applied to every rule below:
-- * under vendor/ only linkname.malformed and linkname.vendored apply;
-- * rules marked "dagger" apply only when target_class is "runtime" or
--   "std-internal" (SPEC marks them with †);
-- * rules about the target skip a malformed directive (its target cannot be
--   trusted); linkname.malformed reports it;
-- * checklinkname.mention applies only to the doc carrier, the other
--   checklinkname rules to every carrier but doc;
-- * rules about commit trailers pass a finding without a commit (`scan`
--   without --blame): there is nothing to judge.
--
-- Rules about Go releases, the fallback, the target's source and CI read the
-- facts linkgate computes from the commit's tree (docs/POLICY.md, "Facts").
-- A fact that could not be determined is nil and its rule passes, except
-- where the fact carries an error (a constraint Go itself rejects, a
-- fallback that cannot be worked out): those fail closed.
--
-- Text from the push can be long and hostile: values are length-checked
-- before any Lua pattern that could backtrack, and only linear patterns are
-- used on them.

local lg = require "linkgate"
local cfg = lg.config

local MAX_QUOTE = 120    -- bytes of a pushed value quoted in a message
local MAX_VALUE = 4096   -- longer trailer/rationale values are not parsed

---------------------------------------------------------------- helpers

local function present(s)
  return type(s) == "string" and s:find("%S") ~= nil
end

local function trim(s)
  return s:match("^%s*(.*%S)") or ""
end

-- 'value', cut at MAX_QUOTE bytes without splitting a UTF-8 sequence.
local function q(s)
  s = tostring(s)
  if #s > MAX_QUOTE then
    local n = MAX_QUOTE
    while n > 0 and s:byte(n + 1) and s:byte(n + 1) >= 0x80 and s:byte(n + 1) < 0xC0 do
      n = n - 1
    end
    s = s:sub(1, n) .. "..."
  end
  return "'" .. s .. "'"
end

local function quote_list(list)
  local out = {}
  for i, v in ipairs(list) do
    if i > 5 then
      out[#out + 1] = ("and %d more"):format(#list - 5)
      break
    end
    out[#out + 1] = q(v)
  end
  return table.concat(out, ", ")
end

local function short(id)
  return id and id:sub(1, 12) or "(unknown)"
end

local function fail(message, hint)
  return { message = message, hint = hint }
end

-- Regexes are compiled once, at load time, so a bad pattern in the
-- configuration is a configuration error, not a failed push.
local issue_re = lg.regex(cfg.issue_pattern)
local owner_res = {}
for i, pat in ipairs(cfg.owners) do
  owner_res[i] = lg.regex(pat)
end

local function re_test(re, s)
  return #s <= MAX_VALUE and re:test(s)
end

local function owner_ok(owner)
  owner = trim(owner)
  if #owner_res == 0 then
    return owner ~= ""
  end
  for _, re in ipairs(owner_res) do
    if re_test(re, owner) then
      return true
    end
  end
  return false
end

-- How an acceptable owner is described in hints.
local function owners_text()
  if #owner_res == 0 then
    return "any non-empty owner is accepted"
  end
  return "the owner must match one of the owners patterns " .. quote_list(cfg.owners)
end

local function under_vendor(f)
  if f.vendored ~= nil then
    return true
  end
  local p = f.path or ""
  return p:sub(1, 7) == "vendor/" or p:find("/vendor/", 1, true) ~= nil
end

local function pinned_target(f)
  return f.target_class == "runtime" or f.target_class == "std-internal"
end

local function directive(f)
  if f.target then
    return ("//go:linkname %s %s"):format(f.localname or "?", f.target)
  end
  return ("//go:linkname %s"):format(f.localname or "?")
end

-- "go1.20-go1.22", "go1.23 and later", "up to go1.19", "every release".
local function range_text(r)
  local lo, hi = r[1] or r.lo, r[2] or r.hi
  if lo and hi then
    return lo == hi and ("go1.%d"):format(lo) or ("go1.%d-go1.%d"):format(lo, hi)
  elseif lo then
    return ("go1.%d and later"):format(lo)
  elseif hi then
    return ("up to go1.%d"):format(hi)
  end
  return "every release"
end

local function ranges_text(list)
  local out = {}
  for i, r in ipairs(list) do
    out[i] = range_text(r)
  end
  return table.concat(out, ", ")
end

local function in_ranges(minor, ranges)
  for _, r in ipairs(ranges) do
    local lo, hi = r[1] or r.lo, r[2] or r.hi
    if (lo == nil or minor >= lo) and (hi == nil or minor <= hi) then
      return true
    end
  end
  return false
end

-- 1.22 / "1.22" / "go1.22" / "1.22.x" -> 22; "tip" and others -> nil.
local function go_minor(v)
  if type(v) == "number" then
    return math.tointeger(v) or math.floor(v)
  elseif type(v) == "string" then
    local m = v:match("^go1%.(%d+)") or v:match("^1%.(%d+)")
    return m and tonumber(m)
  end
end

-- YYYY-MM-DD of epoch seconds (UTC); the inverse of lg.date.
local function ymd(t)
  local z = t // 86400 + 719468
  local era = (z >= 0 and z or z - 146096) // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then
    y = y + 1
  end
  return ("%04d-%02d-%02d"):format(y, m, d)
end

-- Registers a rule with the scoping described at the top.
-- opts.vendor: also applies under vendor/; opts.vendor_only: only there;
-- opts.dagger: only for runtime and std-internal targets;
-- opts.target: skips malformed directives; opts.doc: only the doc carrier.
local function rule(def, opts)
  opts = opts or {}
  local check = def.check
  def.check = function(f, ctx)
    local vendored = under_vendor(f)
    if (vendored and not opts.vendor) or (opts.vendor_only and not vendored) then
      return nil
    end
    if opts.dagger and not pinned_target(f) then
      return nil
    end
    if opts.target and f.malformed ~= nil then
      return nil
    end
    if def.on == "checklinkname-off" and (f.carrier == "doc") ~= (opts.doc == true) then
      return nil
    end
    return check(f, ctx)
  end
  lg.rule(def)
end

---------------------------------------------------------------- linkname

rule({
  id = "linkname.malformed", on = "linkname", severity = "error",
  summary = "the directive is one the compiler accepts",
  check = function(f)
    if f.malformed == nil then
      return nil
    end
    return fail(("the compiler rejects %s: %s"):format(q(f.text or directive(f)), f.malformed),
      "write the directive as `//go:linkname localname importpath.name` (or `//go:linkname localname`):\n" ..
      "one space after go:linkname, two or three fields, nothing else on the line, and no code before it")
  end,
}, { vendor = true })

local RATIONALE_FIELDS = {
  { "why", "why" },
  { "measured_gain", "measured gain" },
  { "target_source", "target source" },
  { "removed_when", "removed when" },
  { "owner", "owner" },
}

local RATIONALE_TEMPLATE = [[
// linkname rationale:
//   why: <what needs the target, and why nothing exported will do>
//   measured gain: <e.g. 35ns/op, 2 allocs/op, 12%, or n/a: functional (reason)>
//   target source: <URL of the target in the Go source, at a release tag>
//   removed when: <go1.N, an issue such as PROJ-123, or a URL>
//   owner: <the team or person who keeps this working>]]

rule({
  id = "linkname.rationale", on = "linkname", severity = "error",
  summary = "a rationale block with why, measured gain, target source, removed when and owner",
  check = function(f)
    local r = f.rationale
    if not r.present then
      return fail(("no `// linkname rationale:` block precedes %s"):format(q(directive(f))),
        "put this block in the comment lines above the directive:\n" .. RATIONALE_TEMPLATE)
    end
    local missing = {}
    for _, field in ipairs(RATIONALE_FIELDS) do
      if not present(r[field[1]]) then
        missing[#missing + 1] = field[2]
      end
    end
    if #missing == 0 then
      return nil
    end
    return fail(("the rationale block at line %s lacks: %s"):format(tostring(r.line or "?"),
        table.concat(missing, ", ")),
      "the block needs every one of these lines:\n" .. RATIONALE_TEMPLATE)
  end,
})

rule({
  id = "linkname.owner", on = "linkname", severity = "error",
  summary = "the rationale's owner matches owners",
  check = function(f)
    local owner = f.rationale.owner
    if not present(owner) then
      return nil -- linkname.rationale reports the missing owner
    end
    if owner_ok(owner) then
      return nil
    end
    return fail(("owner %s matches none of the owners patterns %s"):format(q(trim(owner)), quote_list(cfg.owners)),
      "set the rationale's `owner:` line to the team or person who keeps this working (" .. owners_text() .. ")")
  end,
})

local VAGUE = { "later", "todo", "tbd", "someday" }

local function names_trigger(text)
  local lower = text:lower()
  if lower:find("%f[%w]go1%.%d") or lower:find("https?://%S") then
    return true
  end
  if re_test(issue_re, text) then
    return true
  end
  for word in text:gmatch("%S+") do
    word = word:gsub("^[%(%[<\"'`]+", ""):gsub("[%)%]>\"'`,;:%.!?]+$", "")
    if word ~= "" and re_test(issue_re, word) then
      return true
    end
  end
  return false
end

rule({
  id = "linkname.removal-trigger", on = "linkname", severity = "error",
  summary = "removed when names a Go version, an issue or a URL, and is not vague",
  check = function(f)
    local rw = f.rationale.removed_when
    if not present(rw) then
      return nil -- linkname.rationale reports it
    end
    rw = trim(rw)
    local hint = "say what makes the linkname removable, e.g. `removed when: go1.25 exports the API` or " ..
      "`removed when: PROJ-123 is fixed` (an issue matching issue_pattern " .. q(cfg.issue_pattern) ..
      ") or a URL"
    if #rw > MAX_VALUE then
      return fail("removed when is longer than " .. MAX_VALUE .. " bytes", hint)
    end
    local lower = rw:lower()
    for _, w in ipairs(VAGUE) do
      if lower:find("%f[%w]" .. w .. "%f[%W]") then
        return fail(("removed when %s is vague: it says %s"):format(q(rw), q(w)), hint)
      end
    end
    if names_trigger(rw) then
      return nil
    end
    return fail(("removed when %s names no Go version (go1.N), issue or URL"):format(q(rw)), hint)
  end,
})

local UNITS = {}
for _, u in ipairs({ "ns", "us", "µs", "μs", "ms", "s", "sec", "secs", "%", "x", "×", "B", "kB", "KB", "MB",
  "GB", "KiB", "MiB", "GiB", "byte", "bytes", "alloc", "allocs", "op", "ops", "cycles", "instructions" }) do
  UNITS[u] = true
end

-- A number (not part of a word such as go1) followed by a unit; compound
-- units such as ns/op or MB/s count by their first part.
local function has_measurement(s)
  local init = 1
  while true do
    local a, b = s:find("%d[%d%.,]*", init)
    if not a then
      return false
    end
    if a == 1 or not s:sub(a - 1, a - 1):find("[%w_]") then
      local unit, after = s:match("^%s*([^%s%d,;:!?%(%)%[%]]+)()", b + 1)
      if unit then
        unit = unit:gsub("%.+$", "")
        local first = unit:match("^[^/]+") or unit
        local next_char = s:sub(after, after)
        if (UNITS[unit] or UNITS[first]) and not next_char:find("%d") then
          return true
        end
      end
    end
    init = b + 1
  end
end

rule({
  id = "linkname.measured-gain", on = "linkname", severity = "error",
  summary = "a measurement with a unit, or n/a: functional (reason)",
  check = function(f)
    local g = f.rationale.measured_gain
    if not present(g) then
      return nil -- linkname.rationale reports it
    end
    g = trim(g)
    if #g <= MAX_VALUE then
      local reason = g:match("^n/a: functional %((.*)%)$")
      if (reason and reason:find("%S")) or has_measurement(g) then
        return nil
      end
    end
    return fail(("measured gain %s is not a measurement"):format(q(g)),
      "give a number with a unit (ns, µs, ms, s, %, x, B, KB, MB, allocs, op...), e.g.\n" ..
      "`measured gain: 40ns/op and 1 alloc/op less in BenchmarkParse`, or, when there is no speed-up,\n" ..
      "`measured gain: n/a: functional (the only way to read the monotonic clock)`")
  end,
})

rule({
  id = "linkname.unsafe-import", on = "linkname", severity = "error",
  summary = "the file imports \"unsafe\"",
  check = function(f)
    local u = f.file and f.file.imports_unsafe
    if u == true then
      return nil
    end
    local hint = "add `import _ \"unsafe\"` to the file's imports (the compiler requires it for //go:linkname)"
    if u == false then
      return fail(("%s does not import \"unsafe\""):format(q(f.path)), hint)
    end
    -- Unknown (the file could not be analysed that far): fail closed.
    return fail(("could not determine whether %s imports \"unsafe\""):format(q(f.path)), hint)
  end,
})

-- Reads f.file.build.go_versions (the Go 1.x minor releases the
-- constraint admits, as closed intervals {lo, hi} with nil for unbounded),
-- f.file.build.error (the constraint cannot be evaluated: Go rejects the
-- file) and f.file.module_go (the minor of go.mod's go line, a lower bound).
rule({
  id = "linkname.build-constraint", on = "linkname", severity = "error",
  summary = "a //go:build constraint in the file header bounding the Go releases above and below",
  check = function(f)
    local b = f.file and f.file.build
    local hint = "put a constraint that bounds the releases on both sides above the package clause, " ..
      "followed by a blank line, e.g.\n//go:build go1.21 && !go1.24"
    if b and b.misplaced then
      return fail("the //go:build line comes after the package clause, where Go ignores it", hint)
    end
    if b and b.error then
      return fail(("the build constraint %s cannot be evaluated: %s"):format(q(b.expr or "?"), b.error),
        "write one //go:build line with the syntax Go accepts (||, &&, !, parentheses, tags), e.g.\n" ..
        "//go:build go1.21 && !go1.24")
    end
    local ranges = b and b.go_versions
    if ranges == nil then
      return nil
    end
    if b.expr == nil then
      return fail("the file has no //go:build constraint, so it builds with every Go release", hint)
    end
    local min = f.file.module_go
    for _, r in ipairs(ranges) do
      local lo, hi = r[1] or r.lo, r[2] or r.hi
      if hi == nil then
        return fail(("the build constraint %s admits %s: it has no upper bound"):format(q(b.expr), range_text(r)),
          hint)
      end
      if lo == nil and min == nil then
        return fail(("the build constraint %s admits %s: it has no lower bound (nor does go.mod's go line)")
          :format(q(b.expr), range_text(r)), hint)
      end
    end
    return nil
  end,
}, { dagger = true, target = true })

-- Reads f.fallback: {path = file or nil, gaps = {{lo, hi, where=}...},
-- overlaps = {{lo, hi, where=}...}, error = text or nil}, the releases at or
-- above go.mod's go line that no file or more than one file provides the
-- name for; `where` names the GOOS/GOARCH/tags under which it happens when
-- it does not happen under all of them.
rule({
  id = "linkname.fallback", on = "linkname", severity = "error",
  summary = "another file provides the same name for the releases outside the range",
  check = function(f)
    local fb = f.fallback
    if type(fb) ~= "table" then
      return nil
    end
    local hint = ("add a file with the complementary constraint (e.g. `//go:build !go1.21 || go1.24`) that " ..
      "provides %s without //go:linkname, using only exported API"):format(q(f.localname or "the same name"))
    if fb.error then
      return fail(("could not work out which files provide %s: %s"):format(q(f.localname or "?"), fb.error),
        "give every file of the package a //go:build line Go accepts")
    end
    local function where(list)
      local w = list[1] and list[1].where
      return w and (" (with " .. w .. ")") or ""
    end
    if fb.gaps and #fb.gaps > 0 then
      return fail(("no file provides %s for %s%s%s"):format(q(f.localname or "?"), ranges_text(fb.gaps),
        where(fb.gaps), fb.path and (" (fallback " .. q(fb.path) .. " does not cover them)") or ""), hint)
    end
    if fb.overlaps and #fb.overlaps > 0 then
      return fail(("%s and %s both provide %s for %s%s"):format(q(f.path), q(fb.path or "another file"),
        q(f.localname or "?"), ranges_text(fb.overlaps), where(fb.overlaps)),
        "make the two files' build constraints complementary so exactly one builds for each release")
    end
    return nil
  end,
}, { dagger = true, target = true })

-- Reads f.target_check (only with go_source configured): a list of
-- {go = minor, version = "go1.22.3", exists = bool, shape_ok = bool or nil,
-- detail = text, where = "src/runtime/x.go:12"}, one per release the
-- constraint admits that has a source tree.
local function target_checks(f, pick)
  local bad = {}
  if type(f.target_check) ~= "table" then
    return bad
  end
  for _, c in ipairs(f.target_check) do
    if pick(c) then
      bad[#bad + 1] = c
    end
  end
  return bad
end

local function releases(list)
  local out = {}
  for i, c in ipairs(list) do
    out[i] = c.version or ("go1.%s"):format(tostring(c.go))
  end
  return table.concat(out, ", ")
end

rule({
  id = "linkname.target-exists", on = "linkname", severity = "error",
  summary = "with go_source: the target exists in every admitted release",
  check = function(f)
    local bad = target_checks(f, function(c) return c.exists == false end)
    if #bad == 0 then
      return nil
    end
    return fail(("target %s does not exist in %s"):format(q(f.target or "?"), releases(bad)),
      "narrow the //go:build constraint to the releases that have the target, and provide a fallback " ..
      "file for the others")
  end,
}, { dagger = true, target = true })

rule({
  id = "linkname.signature", on = "linkname", severity = "error",
  summary = "with go_source: the declaration's shape matches the target's",
  check = function(f)
    local bad = target_checks(f, function(c) return c.exists ~= false and c.shape_ok == false end)
    if #bad == 0 then
      return nil
    end
    local detail = bad[1].detail and (": " .. tostring(bad[1].detail)) or ""
    return fail(("%s does not match the shape of %s in %s%s"):format(q(f.localname or "?"), q(f.target or "?"),
      releases(bad), detail),
      "declare the local function or variable with the same parameter and result types as the target " ..
      "in those releases")
  end,
}, { dagger = true, target = true })

rule({
  id = "linkname.std-exported", on = "linkname", severity = "error",
  summary = "the target is not an exported standard-library symbol",
  check = function(f)
    if f.target_class ~= "std-exported" then
      return nil
    end
    return fail(("target %s is an exported standard-library symbol"):format(q(f.target or "?")),
      ("call it directly: import %q and use %s instead of %s"):format(f.target_pkg or "?",
        f.target or "?", directive(f)))
  end,
}, { target = true })

-- The package under test is recognised by name: the target package's last
-- path element is the file's directory name or its package name. When the
-- detectors provide f.file.import_path, that is compared exactly.
rule({
  id = "linkname.test-only", on = "linkname", severity = "error",
  summary = "not a _test.go linkname into the package under test",
  check = function(f)
    local file = f.file
    if not (file and file.is_test) or f.target_class ~= "same-module" or not f.target_pkg then
      return nil
    end
    local under_test
    if file.import_path then
      under_test = file.import_path == f.target_pkg or file.import_path == f.target_pkg .. "_test"
    else
      local last = f.target_pkg:match("([^/]+)$")
      local dir = (f.path or ""):match("([^/]+)/[^/]*$")
      local pkg = file.package and file.package:gsub("_test$", "")
      under_test = last ~= nil and (last == dir or last == pkg)
    end
    if not under_test then
      return nil
    end
    return fail(("test file %s reaches into the package under test with %s"):format(q(f.path), q(directive(f))),
      ("export what the test needs from an export_test.go file in package %s, e.g.\n" ..
        "var %s = %s\nand delete the //go:linkname"):format(file.package and file.package:gsub("_test$", "") or "?",
        f.localname or "Name", f.target_sym or "name"))
  end,
}, { target = true })

-- Reads f.siblings: the other linknames of the file (tables with
-- target/localname, or strings), which share its constraint. Only a
-- constraint that names Go releases is a version constraint.
rule({
  id = "linkname.shared-constraint", on = "linkname", severity = "warning",
  summary = "several linknames share one version constraint",
  check = function(f)
    local sib = f.siblings
    if type(sib) ~= "table" or #sib == 0 then
      return nil
    end
    local expr = f.file and f.file.build and f.file.build.expr
    if type(expr) == "string" and #expr <= MAX_VALUE and not expr:find("go1%.%d") then
      return nil
    end
    local names = {}
    for i, s in ipairs(sib) do
      names[i] = type(s) == "table" and (s.target or s.localname) or tostring(s)
    end
    return fail(("%d other linkname%s share%s the constraint %s with this one: %s"):format(#sib,
      #sib == 1 and "" or "s", #sib == 1 and "s" or "", q(expr or "?"), quote_list(names)),
      "give each target its own file and constraint, so each can follow its target's history")
  end,
}, { target = true })

-- Reads f.ci ({versions = {...}, tip = bool, files = {...}}: the Go versions
-- the repository's CI matrices build with; nil without CI files) and
-- f.file.build.go_versions.
rule({
  id = "linkname.ci-matrix", on = "linkname", severity = "warning",
  summary = "CI builds a Go version inside the range, one outside it and tip",
  check = function(f)
    local ci = f.ci
    local ranges = f.file and f.file.build and f.file.build.go_versions
    if type(ci) ~= "table" or type(ranges) ~= "table" then
      return nil
    end
    local inside, outside = false, false
    for _, v in ipairs(ci.versions or {}) do
      local m = go_minor(v)
      if m then
        if in_ranges(m, ranges) then
          inside = true
        else
          outside = true
        end
      end
    end
    local missing = {}
    if not inside then
      missing[#missing + 1] = "a Go version inside " .. ranges_text(ranges)
    end
    if not outside then
      missing[#missing + 1] = "a Go version outside it"
    end
    if not ci.tip then
      missing[#missing + 1] = "tip"
    end
    if #missing == 0 then
      return nil
    end
    return fail("the CI matrices do not build " .. table.concat(missing, ", "),
      "add those Go versions to the CI build matrix, so the linkname and its fallback are both compiled")
  end,
}, { dagger = true, target = true })

-- Module attribution (f.vendored, from vendor/modules.txt) is missing when
-- modules.txt does not list the package; the package directory is named
-- instead.
rule({
  id = "linkname.vendored", on = "linkname", severity = "warning",
  summary = "a dependency update brought in a linkname",
  check = function(f)
    local module = f.vendored
    local where
    if module then
      where = "module " .. q(module)
    else
      local dir = (f.path or ""):match("vendor/(.*)/[^/]*$")
      where = "package " .. q(dir or f.path or "?") .. " (module not known)"
    end
    return fail(("a dependency brings in %s (%s)"):format(q(directive(f)), where),
      "review the dependency update: this linkname will break when its target changes, " ..
      "and upgrading Go may need a newer version of the module")
  end,
}, { vendor = true, vendor_only = true })

-- Reads f.rationale.removal_go (the go1.N that "removed when" names) and
-- f.rationale.expired (go.mod's go or toolchain line has reached it).
rule({
  id = "linkname.removal-expired", on = "linkname", severity = "warning",
  summary = "the Go release named in removed when is already required by go.mod",
  check = function(f)
    local r = f.rationale
    if not (r.present and r.expired == true) then
      return nil
    end
    local file = f.file or {}
    local by = {}
    if file.module_go and file.module_go >= r.removal_go then
      by[#by + 1] = ("its go line is go1.%d"):format(file.module_go)
    end
    if file.module_toolchain and file.module_toolchain >= r.removal_go then
      by[#by + 1] = ("its toolchain line is go1.%d"):format(file.module_toolchain)
    end
    return fail(("removed when names go1.%d, and %s already requires it (%s)"):format(r.removal_go,
        q(file.gomod or "go.mod"), table.concat(by, ", ")),
      "the removal trigger has fired: replace " .. q(directive(f)) .. " with the exported API and delete it")
  end,
}, { target = true })

---------------------------------------------------------------- trailers

local function issue_check(f)
  if not f.commit then
    return nil
  end
  local key = cfg.trailers.issue
  local values = lg.trailers(f.commit, key)
  for _, v in ipairs(values) do
    if re_test(issue_re, trim(v)) then
      return nil
    end
  end
  local hint = ("add this trailer to the last paragraph of the commit message:\n%s: PROJ-123\n" ..
    "(the value must match issue_pattern %s)"):format(key, q(cfg.issue_pattern))
  if #values == 0 then
    return fail(("commit %s has no %q trailer"):format(short(f.commit.id), key .. ":"), hint)
  end
  return fail(("%s trailer %s does not match issue_pattern %s"):format(key, quote_list(values),
    q(cfg.issue_pattern)), hint)
end

rule({
  id = "linkname.issue", on = "linkname", severity = "error",
  summary = "the commit carries an issue trailer matching issue_pattern",
  check = issue_check,
})

rule({
  id = "checklinkname.issue", on = "checklinkname-off", severity = "error",
  summary = "an issue trailer matching issue_pattern",
  check = issue_check,
})

-- Sign-off (SPEC "Sign-off"). A Platform-Signoff value "Name <email>" names
-- a member when the e-mail matches the member's email (case-insensitively),
-- the name matches the member's user, or the whole value equals any of the
-- member's fields.
local team = cfg.signoff.team

local function lower_eq(a, b)
  return a ~= nil and b ~= nil and a:lower() == b:lower()
end

local function names_member(value, m)
  if #value > MAX_VALUE then
    return false
  end
  local v = trim(value)
  local lt = v:find("<[^<]*$")
  local email = lt and v:match("^<([^<>]*)>$", lt)
  if email then
    if lower_eq(trim(email), m.email) then
      return true
    end
    if m.user and trim(v:sub(1, lt - 1)) == m.user then
      return true
    end
  end
  return v == m.user or lower_eq(v, m.email) or v == m.principal
end

local function named_member(value)
  for _, m in ipairs(team) do
    if names_member(value, m) then
      return m
    end
  end
  return nil
end

local function is_member(who)
  if who == nil then
    return false
  end
  for _, m in ipairs(team) do
    if who == m.user or lower_eq(who, m.email) or who == m.principal then
      return true
    end
  end
  return false
end

local function team_text()
  local out = {}
  for i, m in ipairs(team) do
    if i > 5 then
      out[#out + 1] = ("and %d more"):format(#team - 5)
      break
    end
    if m.user and m.email then
      out[#out + 1] = ("%s <%s>"):format(m.user, m.email)
    else
      out[#out + 1] = m.user or m.email or m.principal or "?"
    end
  end
  return table.concat(out, ", ")
end

-- The sign-offs covering a commit: the hook's list, else (a fixture
-- without one) the commit's own trailers.
local function signoffs_of(commit)
  if commit.signoffs and #commit.signoffs > 0 then
    return commit.signoffs
  end
  local out = {}
  for i, v in ipairs(lg.trailers(commit, cfg.trailers.signoff)) do
    out[i] = { value = v, commit = commit.id, verified = false }
  end
  return out
end

local function signoff_check(f, ctx)
  if not f.commit then
    return nil
  end
  local key = cfg.trailers.signoff
  local verify = cfg.signoff.verify
  if #team == 0 then
    return fail("no platform team is configured (signoff.team is empty), so no sign-off can be accepted",
      "an administrator lists the platform team in linkgate.yml, e.g.\n" ..
      "signoff:\n  team: [alice, {user: bob, email: bob@example.com, principal: bob@example.com}]")
  end
  local hint = ("a platform team member (%s) adds this trailer to this commit or to a commit of the same " ..
    "push that reaches it, such as the merge:\n%s: Name <email>"):format(team_text(), key)
  local all = signoffs_of(f.commit)
  if #all == 0 then
    return fail(("no %s trailer covers commit %s"):format(key, short(f.commit.id)), hint)
  end
  local values, by_member = {}, {}
  for i, s in ipairs(all) do
    values[i] = s.value
    if named_member(s.value or "") then
      by_member[#by_member + 1] = s
    end
  end
  if #by_member == 0 then
    return fail(("%s %s names no member of signoff.team"):format(key, quote_list(values)), hint)
  end
  if verify == "pusher" then
    local pusher = ctx.push and ctx.push.pusher
    if pusher == nil then
      return fail("the pusher is unknown (no pusher.from variable is set), so the sign-off cannot be " ..
        "verified (signoff.verify: pusher)", "the server must identify the pusher; " ..
        "with signoff.verify: pusher a platform team member pushes the signed-off commits")
    end
    if not is_member(pusher) then
      return fail(("pusher %s is not a member of signoff.team; with signoff.verify: pusher a team member must " ..
        "push the signed-off commits"):format(q(pusher)),
        ("ask a platform team member (%s) to push it"):format(team_text()))
    end
  elseif verify == "ssh" then
    -- The signature must be by the member the trailer names: Bob's
    -- trailer on a commit Alice signed is not Bob's sign-off.
    local signers = {}
    for _, s in ipairs(by_member) do
      if s.verified and s.signer then
        for _, m in ipairs(team) do
          if m.principal == s.signer and names_member(s.value or "", m) then
            return nil
          end
        end
        signers[#signers + 1] = s.signer
      end
    end
    if #signers > 0 then
      return fail(("%s %s is signed by %s, who is not the team member it names (signoff.verify: ssh)")
        :format(key, quote_list(values), quote_list(signers)),
        "the team member named in the trailer signs the commit that carries it with their own SSH key " ..
        "(git commit -S with gpg.format=ssh), listed under their principal in signoff.allowed_signers")
    end
    return fail(("%s %s is not on a commit with an SSH signature by a team member's principal")
      :format(key, quote_list(values)),
      "the team member signs the commit that carries the trailer with their SSH key " ..
      "(git commit -S with gpg.format=ssh), listed in signoff.allowed_signers")
  end
  return nil
end

rule({
  id = "linkname.signoff", on = "linkname", severity = "error",
  summary = "a verified platform sign-off",
  check = signoff_check,
})

rule({
  id = "checklinkname.signoff", on = "checklinkname-off", severity = "error",
  summary = "a verified platform sign-off",
  check = signoff_check,
})

rule({
  id = "checklinkname.owner", on = "checklinkname-off", severity = "error",
  summary = "an owner trailer matching owners",
  check = function(f)
    if not f.commit then
      return nil
    end
    local key = cfg.trailers.owner
    local values = lg.trailers(f.commit, key)
    for _, v in ipairs(values) do
      if #v <= MAX_VALUE and owner_ok(v) then
        return nil
      end
    end
    local hint = ("add this trailer to the last paragraph of the commit message:\n%s: <team>\n(%s)")
      :format(key, owners_text())
    if #values == 0 then
      return fail(("commit %s has no %q trailer for %s"):format(short(f.commit.id), key .. ":",
        q(f.spelling or "-checklinkname=0")), hint)
    end
    return fail(("%s trailer %s matches none of the owners patterns %s"):format(key, quote_list(values),
      quote_list(cfg.owners)), hint)
  end,
})

rule({
  id = "checklinkname.remove-by", on = "checklinkname-off", severity = "error",
  summary = "a Remove-By: YYYY-MM-DD trailer after today and within removal.max_days",
  check = function(f)
    if not f.commit then
      return nil
    end
    local key = cfg.trailers.remove_by
    local max_days = cfg.removal.max_days
    local now = lg.now()
    local today = now - now % 86400
    local limit = now + max_days * 86400
    local example = ymd(today + math.min(90, max_days) * 86400)
    local hint = ("add this trailer to the last paragraph of the commit message:\n%s: %s\n" ..
      "(a date after today and at most %d days away)"):format(key, example, max_days)
    local values = lg.trailers(f.commit, key)
    if #values == 0 then
      return fail(("commit %s has no %q trailer"):format(short(f.commit.id), key .. ":"), hint)
    end
    local problem
    for _, v in ipairs(values) do
      local t = lg.date(trim(v))
      if t and t > today and t <= limit then
        return nil
      end
      if not problem then
        if not t then
          problem = ("%s %s is not a date (YYYY-MM-DD)"):format(key, q(v))
        elseif t <= today then
          problem = ("%s %s is not after today (%s)"):format(key, q(v), ymd(today))
        else
          problem = ("%s %s is more than removal.max_days (%d) days away"):format(key, q(v), max_days)
        end
      end
    end
    return fail(problem, hint)
  end,
})

rule({
  id = "checklinkname.mention", on = "checklinkname-off", severity = "warning",
  summary = "documentation that tells people to switch the check off",
  check = function(f)
    return fail(("documentation tells readers to switch off the linker's linkname check (%s)")
      :format(q(f.spelling or "-checklinkname=0")),
      "document how to fix the failing linkname instead; if the text must stay, the platform team can " ..
      "switch this warning off with rules: {checklinkname.mention: off}")
  end,
}, { doc = true })
