" harvester-glossary-ls with ALE (https://github.com/dense-analysis/ale), in ~/.vim/vimrc
" (or ~/.config/nvim/init.vim). ALE shows the diagnostics; :ALEHover, :ALECodeAction and
" ALE's completion (let g:ale_completion_enabled = 1, set before ALE loads) use the server too.
function! s:HarvesterGlossaryRoot(buffer) abort
  let l:git = ale#path#FindNearestDirectory(a:buffer, '.git')
  return !empty(l:git) ? fnamemodify(l:git, ':h:h') : expand('#' . a:buffer . ':p:h')
endfunction

for s:ft in ['markdown', 'yaml']
  call ale#linter#Define(s:ft, {
  \   'name': 'harvester_glossary_ls',
  \   'lsp': 'stdio',
  \   'executable': 'harvester-glossary-ls',
  \   'command': '%e',
  \   'project_root': function('s:HarvesterGlossaryRoot'),
  \   'lsp_config': {'harvesterGlossary': {}},
  \})
endfor
" ALE runs only the linters you list when g:ale_linters is set for a filetype; then add it:
" let g:ale_linters = {'markdown': ['harvester_glossary_ls'], 'yaml': ['harvester_glossary_ls']}
