---@brief
---
--- harvester-glossary-ls: the Harvester HCI glossary in Markdown and YAML files (hover
--- definitions, completion of glossary terms, diagnostics for deprecated or miscased terms with
--- quick fixes).
---
--- Install the server, for example with pipx:
--- ```sh
--- pipx install /path/to/harvester-glossary-ls  # a checkout of the repository
--- ```
---
--- Neovim 0.11+: put the folder holding this `lsp/` directory on the runtimepath and enable it:
--- ```lua
--- vim.opt.runtimepath:append('/path/to/harvester-glossary-ls/editors/nvim')
--- vim.lsp.enable('harvester_glossary_ls')
--- ```
---
--- Override any field with `vim.lsp.config()`, e.g. to run the server from a virtualenv or to
--- change rule severities (the `settings.harvesterGlossary` table is answered to the server's
--- `workspace/configuration` requests):
--- ```lua
--- vim.lsp.config('harvester_glossary_ls', {
---   cmd = { '/path/to/venv/bin/python', '-m', 'harvester_glossary_ls' },
---   settings = {
---     harvesterGlossary = {
---       glossaryVersion = 'v1.7',
---       rules = { ['term-casing'] = 'hint', ['term-spelling'] = 'off' },
---       ignoreWords = { 'VLAN' },
---     },
---   },
--- })
--- ```
---
--- Settings (all optional): `glossaries` (list of extra glossary files), `glossaryVersion`
--- (e.g. `'v1.7'`), `rules` (rule code -> `'error'|'warning'|'information'|'hint'|'off'` for
--- `deprecated-term`, `term-casing`, `term-spelling`, `unlinked-term` (off unless set)),
--- `ignoreWords` (list), `logLevel`
--- (`'error'|'warning'|'info'|'debug'`).

---@type vim.lsp.Config
return {
  cmd = { 'harvester-glossary-ls' },
  filetypes = { 'markdown', 'yaml' },
  root_markers = { '.harvester-glossary.yaml', '.git' },
  -- Answered to the server's workspace/configuration requests (section "harvesterGlossary").
  -- vim.empty_dict(): an empty Lua table would be sent as a JSON array.
  settings = {
    harvesterGlossary = vim.empty_dict(),
  },
  -- The server also reads its settings from initializationOptions at start-up.
  before_init = function(params, config)
    local settings = config.settings and config.settings.harvesterGlossary
    if params.initializationOptions == nil and settings ~= nil then
      params.initializationOptions = settings
    end
  end,
}
