;;; harvester-glossary-eglot.el --- harvester-glossary-ls with Eglot  -*- lexical-binding: t; -*-
;; Eglot is built into Emacs 29+ (Emacs 28: M-x package-install RET eglot).
;; Eglot runs one server per major mode: these modes then use harvester-glossary-ls instead of
;; any other server Eglot would start for them (e.g. yaml-language-server, marksman).
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((markdown-mode gfm-mode yaml-mode yaml-ts-mode) . ("harvester-glossary-ls"))))
(dolist (hook '(markdown-mode-hook gfm-mode-hook yaml-mode-hook yaml-ts-mode-hook))
  (add-hook hook #'eglot-ensure))

;; Optional settings, answered to the server's workspace/configuration requests:
;; (setq-default eglot-workspace-configuration
;;               '(:harvesterGlossary (:glossaryVersion "v1.7"
;;                                     :rules (:term-casing "hint"))))
