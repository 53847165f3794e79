-- Neovim 0.11+ headless end-to-end test of harvester-glossary-ls through
-- editors/nvim/lsp/harvester_glossary_ls.lua (found on the runtimepath, enabled with
-- vim.lsp.enable). Run by tests/editors/test_nvim.py:
--
--   nvim --headless -u NONE -i NONE --cmd 'set rtp^=<repo>/editors/nvim' -c 'luafile e2e.lua'
--
-- env: HGLS_CMD   JSON list: the server argv (replaces only `cmd` of the shipped config)
--      E2E_DIR    folder holding the fixtures guide.md, nodenetwork.yaml, clusternetwork.yaml
--      E2E_OUT    where to write the JSON result
-- Exit code 0 when every check passed, 1 otherwise; the JSON lists the failed checks.
local out_path = assert(os.getenv("E2E_OUT"), "E2E_OUT not set")
local dir = assert(os.getenv("E2E_DIR"), "E2E_DIR not set")
local v = vim.version()
local result = { nvim = string.format("%d.%d.%d", v.major, v.minor, v.patch), ok = false, errors = {}, steps = {} }
local t0 = vim.uv.hrtime()
local function ms() return math.floor((vim.uv.hrtime() - t0) / 1e6) end
local function fail(msg) table.insert(result.errors, msg) end
local function step(name) result.steps[name] = ms() end

local NAME = "harvester_glossary_ls"
local DIAG_TIMEOUT = 20000

local function finish()
  result.total_ms = ms()
  result.ok = #result.errors == 0
  local f = assert(io.open(out_path, "w"))
  f:write(vim.json.encode(result))
  f:close()
  for _, c in ipairs(vim.lsp.get_clients()) do c:stop() end
  vim.wait(3000, function() return #vim.lsp.get_clients() == 0 end, 20)
  vim.cmd(result.ok and "qall!" or "cquit 1")
end

--- Text of a 0-based (row, start col, end col) span in a buffer (columns are bytes).
local function span_text(bufnr, lnum, col, end_col)
  local line = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1] or ""
  return line:sub(col + 1, end_col)
end

local function diag_summary(bufnr)
  return vim.tbl_map(function(d)
    return { lnum = d.lnum, col = d.col, end_col = d.end_col, severity = d.severity, code = d.code,
      source = d.source, message = d.message, text = span_text(bufnr, d.lnum, d.col, d.end_col) }
  end, vim.diagnostic.get(bufnr))
end

--- Wait for a deprecated-term diagnostic over `word`; returns it (or nil and records a failure).
local function wait_deprecated(bufnr, word, label)
  local found
  vim.wait(DIAG_TIMEOUT, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == "deprecated-term" and span_text(bufnr, d.lnum, d.col, d.end_col) == word then
        found = d
        return true
      end
    end
    return false
  end, 20)
  result[label .. "_diagnostics"] = diag_summary(bufnr)
  if not found then
    fail(label .. ": no deprecated-term diagnostic over '" .. word .. "' within " .. DIAG_TIMEOUT .. " ms")
    return nil
  end
  if found.severity ~= vim.diagnostic.severity.WARN then fail(label .. ": diagnostic is not a warning") end
  if found.source ~= "harvester-glossary" then fail(label .. ": diagnostic source is " .. tostring(found.source)) end
  return found
end

--- Move the cursor onto the first match of a literal `text` (offset chars into it) in the buffer.
local function cursor_on(text, offset, label)
  for lnum, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    local s = line:find(text, 1, true)
    if s then
      vim.api.nvim_win_set_cursor(0, { lnum, s - 1 + (offset or 0) })
      return true
    end
  end
  fail((label or "cursor") .. ": text '" .. text .. "' not in buffer " .. vim.api.nvim_buf_get_name(0))
  return false
end

local function markup_text(contents)
  if type(contents) == "string" then return contents end
  if contents.value then return contents.value end
  local parts = {}
  for _, c in ipairs(contents) do table.insert(parts, type(c) == "string" and c or c.value) end
  return table.concat(parts, "\n")
end

local function hover_at(client, bufnr, label)
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local resp, err = client:request_sync("textDocument/hover", params, 10000, bufnr)
  if not resp or resp.err or not resp.result then
    fail(label .. ": no hover (" .. vim.inspect(err or (resp and resp.err) or "empty result") .. ")")
    return nil
  end
  return markup_text(resp.result.contents)
end

--- Float windows currently open, with their text.
local function floats()
  local out = {}
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      local buf = vim.api.nvim_win_get_buf(win)
      table.insert(out, { win = win, text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") })
    end
  end
  return out
end

local function close_floats()
  for _, f in ipairs(floats()) do pcall(vim.api.nvim_win_close, f.win, true) end
end

local ok, err = pcall(function()
  vim.cmd("filetype on") -- -u NONE leaves detection off; vim.lsp.enable attaches on FileType
  local cmd = vim.json.decode((assert(os.getenv("HGLS_CMD"), "HGLS_CMD not set")))

  -- The shipped config must come from the runtimepath, not from this script.
  local shipped = vim.api.nvim_get_runtime_file("lsp/" .. NAME .. ".lua", false)[1]
  result.config_file = shipped
  if not shipped then error("lsp/" .. NAME .. ".lua is not on the runtimepath") end
  vim.lsp.config(NAME, { cmd = cmd }) -- only the command changes (test venv); rest as shipped
  local cfg = vim.lsp.config[NAME]
  result.config = { cmd = cfg.cmd, filetypes = cfg.filetypes, root_markers = cfg.root_markers }
  if not (cfg.filetypes and vim.tbl_contains(cfg.filetypes, "markdown") and vim.tbl_contains(cfg.filetypes, "yaml")) then
    fail("shipped config does not cover markdown and yaml: " .. vim.inspect(cfg.filetypes))
  end
  vim.lsp.enable(NAME)

  -- 1. Markdown: attach, diagnostics ------------------------------------------------------------
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/guide.md"))
  local md = vim.api.nvim_get_current_buf()
  result.md_filetype = vim.bo[md].filetype
  local client
  if not vim.wait(30000, function()
    client = vim.lsp.get_clients({ bufnr = md, name = NAME })[1]
    return client ~= nil and client.initialized == true
  end, 20) then
    error("server did not attach/initialize within 30 s (cmd " .. table.concat(cmd, " ") .. ")")
  end
  step("initialized_ms")
  result.server_info = client.server_info
  local caps = client.server_capabilities or {}
  result.capabilities = { hover = caps.hoverProvider ~= nil, completion = caps.completionProvider ~= nil,
    codeAction = caps.codeActionProvider ~= nil }

  local d = wait_deprecated(md, "harvester-mgmt", "markdown")
  step("markdown_diagnostic_ms")
  if d then
    if d.message:sub(1, #"'harvester-mgmt' is deprecated") ~= "'harvester-mgmt' is deprecated" then
      fail("markdown: message does not start with \"'harvester-mgmt' is deprecated\": " .. d.message)
    end
    if not d.message:find("mgmt", #"'harvester-mgmt'" + 1, true) then
      fail("markdown: message does not name the replacement 'mgmt': " .. d.message)
    end
  end

  -- 2. Hover, as the user does it (vim.lsp.buf.hover -> floating window) and as data ----------
  if cursor_on("guest cluster", 2, "hover") then
    local text = hover_at(client, md, "hover")
    result.hover = text
    if text then
      local first = vim.split(text, "\n", { plain = true })[1]
      if first ~= "**guest cluster**" then fail("hover: first line is " .. vim.inspect(first)) end
      if not text:find("Group of integrated Kubernetes worker machines", 1, true) then
        fail("hover: definition text missing")
      end
    end
    vim.lsp.buf.hover()
    local shown
    vim.wait(10000, function()
      for _, f in ipairs(floats()) do
        if f.text:find("Group of integrated Kubernetes worker machines", 1, true) then shown = f.text; return true end
      end
      return false
    end, 20)
    result.hover_float = shown
    if not shown then fail("hover: no floating window with the definition after vim.lsp.buf.hover()") end
    close_floats()
  end
  step("hover_ms")

  -- 3. Completion: type a partial term on a new line, apply the chosen item's edit -------------
  local function complete(partial, want)
    local last = vim.api.nvim_buf_line_count(md)
    vim.api.nvim_buf_set_lines(md, last, last, false, { partial })
    -- the cursor as in insert mode, after the typed text (normal mode cannot go past the end)
    local params = { textDocument = vim.lsp.util.make_text_document_params(md),
      position = { line = last, character = #partial }, context = { triggerKind = 1 } }
    local resp = client:request_sync("textDocument/completion", params, 10000, md)
    if not resp or resp.err or not resp.result then
      fail("completion '" .. partial .. "': no result " .. vim.inspect(resp))
      return
    end
    local items = resp.result.items or resp.result
    local labels = vim.tbl_map(function(it) return it.label end, items)
    result["completion_" .. partial] = labels
    local item
    for _, it in ipairs(items) do if it.label == want then item = it end end
    if not item then
      fail("completion '" .. partial .. "': '" .. want .. "' not offered; got " .. vim.inspect(labels))
      return
    end
    if not item.textEdit then fail("completion '" .. partial .. "': item has no textEdit") return end
    local edit = item.textEdit.range and item.textEdit or { range = item.textEdit.replace, newText = item.textEdit.newText }
    vim.lsp.util.apply_text_edits({ edit }, md, client.offset_encoding)
    local line = vim.api.nvim_buf_get_lines(md, last, last + 1, false)[1]
    result["completed_" .. partial] = line
    if line ~= want then fail("completion '" .. partial .. "': line became " .. vim.inspect(line)) end
  end
  complete("VM mig", "VM migration network")
  complete("guest cl", "guest cluster")
  step("completion_ms")

  -- 4. Quick fix through vim.lsp.buf.code_action (filtered to one action, applied) -------------
  if d and cursor_on("harvester-mgmt", 3, "quick fix") then
    local lsp_diags = {}
    for _, x in ipairs(vim.diagnostic.get(md, { lnum = 2 })) do
      if x.code == "deprecated-term" and x.user_data and x.user_data.lsp then table.insert(lsp_diags, x.user_data.lsp) end
    end
    local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
    params.context = { diagnostics = lsp_diags, only = { "quickfix" } }
    local resp = client:request_sync("textDocument/codeAction", params, 10000, md)
    result.code_actions = resp and resp.result and vim.tbl_map(function(a) return a.title end, resp.result) or {}
    if not vim.tbl_contains(result.code_actions, "Replace with 'mgmt'") then
      fail("quick fix: \"Replace with 'mgmt'\" not offered; got " .. vim.inspect(result.code_actions))
    else
      vim.lsp.buf.code_action({
        filter = function(a) return a.title == "Replace with 'mgmt'" end,
        apply = true,
      })
      local want = "Attach the VM to the mgmt network of the guest cluster."
      if not vim.wait(10000, function() return vim.api.nvim_buf_get_lines(md, 2, 3, false)[1] == want end, 20) then
        fail("quick fix: line 3 is " .. vim.inspect(vim.api.nvim_buf_get_lines(md, 2, 3, false)[1]))
      end
      local gone = vim.wait(DIAG_TIMEOUT, function()
        for _, x in ipairs(vim.diagnostic.get(md)) do
          if x.code == "deprecated-term" and x.lnum == 2 then return false end
        end
        return true
      end, 20)
      result.after_fix_diagnostics = diag_summary(md)
      if not gone then fail("quick fix: the deprecated-term diagnostic did not go away") end
    end
  end
  step("quickfix_ms")

  -- 5. YAML: diagnostic on kind: NodeNetwork, hover on kind: ClusterNetwork -------------------
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/nodenetwork.yaml"))
  local y1 = vim.api.nvim_get_current_buf()
  result.yaml_filetype = vim.bo[y1].filetype
  wait_deprecated(y1, "NodeNetwork", "yaml")
  if not vim.wait(5000, function() return vim.lsp.get_clients({ bufnr = y1, name = NAME })[1] ~= nil end, 20) then
    fail("yaml: client not attached to nodenetwork.yaml")
  end
  step("yaml_diagnostic_ms")
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/clusternetwork.yaml"))
  local y2 = vim.api.nvim_get_current_buf()
  vim.wait(10000, function() return vim.lsp.get_clients({ bufnr = y2, name = NAME })[1] ~= nil end, 20)
  if cursor_on("ClusterNetwork", 3, "yaml hover") then
    local text = hover_at(client, y2, "yaml hover")
    result.yaml_hover = text
    if text and vim.split(text, "\n", { plain = true })[1] ~= "**cluster network**" then
      fail("yaml hover: first line is " .. vim.inspect(vim.split(text, "\n", { plain = true })[1]))
    end
  end
  step("yaml_hover_ms")

  -- 6. Settings reach the running server: make deprecated-term an error, without a restart.
  client.settings = vim.tbl_deep_extend("force", client.settings or {},
    { harvesterGlossary = { rules = { ["deprecated-term"] = "error" } } })
  client:notify("workspace/didChangeConfiguration", { settings = client.settings })
  local raised = vim.wait(10000, function()
    for _, x in ipairs(vim.diagnostic.get(y1)) do
      if x.code == "deprecated-term" and x.severity == vim.diagnostic.severity.ERROR then return true end
    end
    return false
  end, 20)
  result.after_settings_diagnostics = diag_summary(y1)
  if not raised then
    fail("settings: rules['deprecated-term'] = 'error' did not turn the NodeNetwork warning into an error")
  end
  step("settings_ms")
  result.clients = #vim.lsp.get_clients({ name = NAME })
  if result.clients ~= 1 then fail("expected one client for all buffers, got " .. result.clients) end
end)
if not ok then fail("lua error: " .. tostring(err)) end
finish()
