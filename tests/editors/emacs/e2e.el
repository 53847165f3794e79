;;; e2e.el --- Emacs + Eglot end-to-end check of editors/emacs/harvester-glossary-eglot.el
;; emacs -Q --batch -l e2e.el ; env: HGLS_SNIPPET (the .el to test), E2E_DIR (fixtures),
;; E2E_OUT (JSON result). The server command is the snippet's: harvester-glossary-ls on PATH.
(require 'json)
(require 'package)
(package-initialize)
;; Debian's elpa-* packages (eglot, markdown-mode, yaml-mode) live here
(dolist (dir (and (file-directory-p "/usr/share/emacs/site-lisp/elpa")
                  (directory-files "/usr/share/emacs/site-lisp/elpa" t "^[a-z]")))
  (add-to-list 'load-path dir))
(require 'markdown-mode)
(require 'yaml-mode)
(require 'eglot)
(load-file (getenv "HGLS_SNIPPET"))

(defvar e2e-result (list (cons 'emacs emacs-version) (cons 'eglot (or (bound-and-true-p eglot-version) ""))))
(defun e2e-put (key value) (push (cons key value) e2e-result))
(defun e2e-wait (pred secs)
  (let ((end (+ (float-time) secs)))
    (while (and (not (funcall pred)) (< (float-time) end)) (accept-process-output nil 0.1))
    (funcall pred)))

(condition-case err
    (progn
      (dolist (f '("guide.md" "nodenetwork.yaml"))
        (find-file (expand-file-name f (getenv "E2E_DIR")))
        ;; eglot-ensure connects from post-command-hook, which the batch loop never runs
        (run-hooks 'post-command-hook)
        (e2e-wait (lambda () (and (eglot-current-server) eglot--managed-mode)) 30)
        (e2e-put (intern (concat f "-mode")) (symbol-name major-mode))
        (e2e-put (intern (concat f "-server"))
                 (and (eglot-current-server)
                      (process-command (jsonrpc--process (eglot-current-server)))))
        ;; flymake starts its backends from an idle timer, which batch mode never fires
        (e2e-wait (lambda () nil) 1)
        (flymake-start)
        (e2e-wait (lambda () (flymake-diagnostics)) 30)
        (e2e-put (intern (concat f "-diagnostics"))
                 (mapcar (lambda (d)
                           (list (cons 'type (symbol-name (flymake-diagnostic-type d)))
                                 (cons 'text (buffer-substring-no-properties
                                              (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))
                                 (cons 'message (flymake-diagnostic-text d))))
                         (flymake-diagnostics))))
      (with-current-buffer "guide.md"
        (goto-char (point-min))
        (search-forward "guest cl")
        (let ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                      (eglot--TextDocumentPositionParams))))
          (e2e-put 'hover (plist-get (plist-get hover :contents) :value)))))
  (error (e2e-put 'error (format "%S" err))))

(with-temp-file (getenv "E2E_OUT") (insert (json-encode e2e-result)))
(ignore-errors (eglot-shutdown-all))
(kill-emacs 0)
