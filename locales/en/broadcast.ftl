## Stations, packages, schedule, air log and reports (issue 7).

report-title = Broadcasting report
report-period = Period
report-period-col = Period
report-stations = Stations
report-all-stations = All stations
report-scripts = Scripts approved
report-languages = Languages
report-produced = Minutes produced
report-aired = Minutes aired
report-broadcasts = Broadcasts
report-on-time = Aired on time
report-late = Aired late
report-packages-sent = Packages sent
report-packages-received = Packages received
report-count = Count
report-station = Station
report-language = Language
report-category = Category
report-program = Programme
report-priority = Priority
report-by-category = Scripts by category
report-by-program = Scripts by programme
report-by-priority = Scripts by priority
report-minutes = Minutes by station and language
report-timeline = Minutes over time
report-sheet-summary = Summary
report-none = No data.

cli-key-id = Key id of { $station }: { $id }
cli-trusted = Trusted key { $id } of { $station }.
cli-package-built = Wrote { $path } ({ $mb } MB, { $items } items).
cli-package-over-limit = Note: the package is over 25 MB and may not go through email or Zalo; use --split to split it per language.
cli-package-valid = Valid package: “{ $title }” from { $issuer }, valid until { $until }.
cli-package-imported = Imported “{ $title }” (number { $id }, { $items } items).
cli-placed = Placed { $placed } broadcasts ({ $skipped } were already there).
cli-airlog-imported = Logged { $added } broadcasts ({ $matched } matched a package item).
