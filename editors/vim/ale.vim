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

" For YAML, ALE runs only a default list (spectral, yaml-language-server, yamllint) unless
" g:ale_linters names the linters: add ours to that list. (Markdown runs all defined linters;
" if you set g:ale_linters.markdown, add 'harvester_glossary_ls' there too.)
let g:ale_linters = get(g:, 'ale_linters', {})
let g:ale_linters.yaml = get(g:ale_linters, 'yaml', ['spectral', 'yaml-language-server', 'yamllint'])
\ + ['harvester_glossary_ls']
