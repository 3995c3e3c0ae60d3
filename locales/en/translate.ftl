# Translating scripts, quality checks (QA)

translate-title = Translate
translate-pick-script = Choose a script
translate-pick-lang = Translate into
translate-no-script = Choose a script to translate
translate-no-script-hint = Open a script under Scripts and press “Translate”, or pick one from the list above.
translate-no-lang = No target language yet
translate-no-lang-hint = Add a minority language to the script's “Languages”.
translate-open = Translate
translate-source = Vietnamese
translate-target = Translation
translate-progress = { $confirmed }/{ $total } segments confirmed
translate-progress-short = { $confirmed }/{ $total } sentences
translate-confirm = Confirm and go to next
translate-save-draft = Save draft
translate-saved = Saved
translate-outdated-was = Source used to be: { $source }
translate-terms = Terms
translate-no-terms = No glossary terms in this segment.
translate-no-target-term = (no { $lang } term yet)
translate-matches = Translation memory
translate-no-matches = No similar segment in the translation memory.
translate-insert-match = Insert (Ctrl+{ $n })
translate-palette = Letters
translate-palette-empty = This language has no letter palette yet. Add one in Settings › Languages.
translate-run-qa = Check (F7)
translate-qa-title = Quality check
translate-qa-fold = Fold
translate-qa-unfold = Unfold
translate-qa-resize = Drag to resize (Up/Down arrow keys)
translate-qa-clean = No issues found.
translate-qa-count = { $errors } errors, { $warnings } warnings
translate-mark-done = Mark as translated
translate-mark-open = Reopen for translation
translate-done = Translated
translate-in-progress = In progress
translate-export = Export translation
translate-shortcuts = Ctrl+Enter: confirm · Ctrl+1…5: insert suggestion · Alt+↑/↓: previous/next · F7: check

segment-status-untranslated = Untranslated
segment-status-draft = Draft
segment-status-confirmed = Confirmed
segment-status-outdated = Source changed

qa-severity-error = Error
qa-severity-warning = Warning
qa-untranslated = Segment not translated
qa-unconfirmed = Translation is still a draft
qa-outdated = The source changed after translation (was: “{ $found }”)
qa-missing-term = Approved term missing for “{ $found }”
qa-forbidden-term = Forbidden term “{ $found }”
qa-deprecated-term = Deprecated term “{ $found }”
qa-number-mismatch = Numbers, dates or times differ from the source
qa-length = Translation is { $found }% of the source length: reading time will differ a lot
qa-repeated-word = Repeated word: “{ $found } { $found }”
qa-spaces = Extra spaces at the start, end or inside
qa-expected = Use: { $expected }
qa-numbers = Source: { $expected } · Translation: { $found }
translate-exported = Exported: { $path }
tm-import = Import a translation memory…
tm-import-hint = Import another office's translation memory (a TMX file)
tm-imported = Imported { $units } units into the translation memory{ $skipped ->
    [0] .
   *[other] ; skipped { $skipped } without a Vietnamese segment.
}
