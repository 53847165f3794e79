" Vim + ALE end-to-end check of editors/vim/ale.vim. Run by tests/editors/test_vim_ale.py:
"   vim -N -u NONE -i NONE --not-a-term -S e2e.vim
" env: ALE_DIR (ALE's runtime folder), HGLS_SNIPPET (the .vim to test), E2E_DIR (fixtures),
"      E2E_OUT (JSON result). The server command is the snippet's: harvester-glossary-ls on PATH.
set nocompatible
execute 'set runtimepath^=' . fnameescape($ALE_DIR)
let g:ale_echo_cursor = 0
filetype plugin on
runtime plugin/ale.vim
execute 'source ' . fnameescape($HGLS_SNIPPET)

let s:result = {'vim': v:version, 'files': {}}
try
  for s:f in ['guide.md', 'nodenetwork.yaml']
    execute 'edit ' . fnameescape($E2E_DIR . '/' . s:f)
    let s:file = {'filetype': &filetype,
    \   'linters': map(copy(ale#linter#Get(&filetype)), 'v:val.name'), 'diagnostics': []}
    ALELint
    let s:n = 0
    while empty(ale#engine#GetLoclist(bufnr(''))) && s:n < 300
      sleep 100m
      let s:n += 1
    endwhile
    for s:d in ale#engine#GetLoclist(bufnr(''))
      let s:line = getline(s:d.lnum)
      call add(s:file.diagnostics, {'type': s:d.type, 'linter': s:d.linter_name, 'message': s:d.text,
      \   'text': strpart(s:line, s:d.col - 1, get(s:d, 'end_col', s:d.col) - s:d.col + 1)})
    endfor
    let s:result.files[s:f] = s:file
  endfor
catch
  let s:result.error = v:exception . ' at ' . v:throwpoint
endtry
call writefile([json_encode(s:result)], $E2E_OUT)
qall!
