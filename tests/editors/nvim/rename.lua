-- Neovim 0.11+ headless: rename a glossary term with vim.lsp.buf.rename() through the shipped
-- config, save every buffer the edit touched (:wall), and check that the old name is then
-- flagged. Run by tests/editors/test_nvim.py (test_nvim_rename) like e2e.lua:
--
-- env: HGLS_CMD   JSON list: the server argv
--      E2E_DIR    a workspace with .harvester-glossary.yaml, glossary.md, page.md, other.md
--      E2E_OUT    where to write the JSON result
local out_path = assert(os.getenv("E2E_OUT"), "E2E_OUT not set")
local dir = assert(os.getenv("E2E_DIR"), "E2E_DIR not set")
local result = { ok = false, errors = {} }
local function fail(msg) table.insert(result.errors, msg) end
local NAME = "harvester_glossary_ls"

local function finish()
  result.ok = #result.errors == 0
  local f = assert(io.open(out_path, "w"))
  f:write(vim.json.encode(result))
  f:close()
  for _, c in ipairs(vim.lsp.get_clients()) do c:stop() end
  vim.wait(3000, function() return #vim.lsp.get_clients() == 0 end, 20)
  vim.cmd(result.ok and "qall!" or "cquit 1")
end

local function read(name)
  local f = io.open(dir .. "/" .. name, "r")
  if not f then return nil end
  local text = f:read("a")
  f:close()
  return text
end

local ok, err = pcall(function()
  vim.cmd("filetype on")
  vim.lsp.config(NAME, { cmd = vim.json.decode(assert(os.getenv("HGLS_CMD"))) })
  vim.lsp.enable(NAME)
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/page.md"))
  local page = vim.api.nvim_get_current_buf()
  local client
  if not vim.wait(30000, function()
    client = vim.lsp.get_clients({ bufnr = page, name = NAME })[1]
    return client ~= nil and client.initialized == true
  end, 20) then
    error("server did not attach/initialize within 30 s")
  end
  -- the cursor on "guest cluster" in "Create a guest cluster."
  for lnum, line in ipairs(vim.api.nvim_buf_get_lines(page, 0, -1, false)) do
    local s = line:find("a guest cluster.", 1, true)
    if s then vim.api.nvim_win_set_cursor(0, { lnum, s + 3 }) end
  end
  vim.lsp.buf.rename("tenant cluster", { name = NAME })
  if not vim.wait(20000, function()
    return table.concat(vim.api.nvim_buf_get_lines(page, 0, -1, false), "\n"):find("tenant cluster", 1, true) ~= nil
  end, 20) then
    fail("rename: page.md did not change")
  end
  vim.cmd("silent! wall")
  result.buffers = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    table.insert(result.buffers, { name = vim.fs.basename(vim.api.nvim_buf_get_name(b)),
      filetype = vim.bo[b].filetype, loaded = vim.api.nvim_buf_is_loaded(b),
      attached = vim.lsp.get_clients({ bufnr = b, name = NAME })[1] ~= nil })
  end
  result.page = read("page.md")
  result.other = read("other.md")
  result.glossary = read("glossary.md")
  result.config = read(".harvester-glossary.yaml")
  result.renames = read("glossary-renames.yaml")

  -- the old name is flagged from now on, in a page written after the rename
  local f = assert(io.open(dir .. "/new.md", "w"))
  f:write("An old guest cluster.\n")
  f:close()
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/new.md"))
  local new = vim.api.nvim_get_current_buf()
  local flagged = vim.wait(20000, function()
    for _, d in ipairs(vim.diagnostic.get(new)) do
      if d.code == "deprecated-term" then result.deprecated = d.message return true end
    end
    return false
  end, 20)
  if not flagged then fail("rename: no deprecated-term diagnostic on the old name") end
end)
if not ok then fail("lua error: " .. tostring(err)) end
finish()
