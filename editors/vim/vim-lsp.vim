" harvester-glossary-ls with vim-lsp (https://github.com/prabirshrestha/vim-lsp), in ~/.vim/vimrc
if executable('harvester-glossary-ls')
  augroup harvester_glossary_ls
    autocmd!
    autocmd User lsp_setup call lsp#register_server({
    \   'name': 'harvester-glossary-ls',
    \   'cmd': {server_info -> ['harvester-glossary-ls']},
    \   'allowlist': ['markdown', 'yaml'],
    \   'workspace_config': {'harvesterGlossary': {}},
    \ })
  augroup END
endif
