-- harvester-glossary-ls for Neovim 0.8 - 0.10 (no vim.lsp.config yet): put this in init.lua.
-- Neovim 0.11+: use lsp/harvester_glossary_ls.lua and vim.lsp.enable() instead.
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'markdown', 'yaml' },
  callback = function(args)
    local marker = vim.fs.find({ '.harvester-glossary.yaml', '.git' }, {
      upward = true,
      path = vim.fs.dirname(vim.api.nvim_buf_get_name(args.buf)),
    })[1]
    local settings = vim.empty_dict() -- e.g. { glossaryVersion = 'v1.7' }
    vim.lsp.start({
      name = 'harvester_glossary_ls',
      cmd = { 'harvester-glossary-ls' },
      root_dir = marker and vim.fs.dirname(marker) or nil,
      settings = { harvesterGlossary = settings },
      init_options = settings,
    }, { bufnr = args.buf })
  end,
})
