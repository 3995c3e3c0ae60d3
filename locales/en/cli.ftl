## The loa command line

cli-init-done = Initialized data in { $path } (schema version { $version }).
cli-demo-seeded = Loaded demo data: { $scripts } scripts, { $concepts } glossary concepts, { $stations } stations.
cli-directory-loaded = Station directory: { $provinces } provinces and { $communes } communes and wards (2025 units), searchable by their old names too.
cli-demo-already = Demo data is already there; nothing loaded.
cli-error = Error: { $message }
cli-none = (none)
cli-backup-created = Backed up to { $path } ({ $mb } MB, { $files } files).
cli-backup-restored = Restored station { $station } (backup of { $created }) into { $path }.
cli-backup-last = Last backup: { $days } days ago.
cli-backup-never = Never backed up.

# Progress lines on a terminal, for long commands.
cli-progress-transcribing = Transcribing
cli-progress-model = Importing the model
cli-progress-building = Building the package
cli-progress-decoding = Reading the audio
cli-progress-update = Checking the update
cli-update-checked = Update { $version } (running { $current }), signed with release key { $keyId }: valid. { $notes }
cli-update-started = Installing version { $version } silently; Loa Studio reopens when it is done.
cli-update-manual = The installer of version { $version } is verified. Install it with (needs administrator rights): { $command }
cli-progress-download = Downloading the update
cli-update-available = Version { $version } is available. { $notes }
cli-update-none = This is the newest version ({ $version }).
cli-progress-sync = Syncing with the province hub
cli-hub-none = No province hub set (loa hub set URL).
cli-hub-status = Province hub: { $url }. Last sync: { $error }. To send: { $outbox }; to import: { $waiting }; receipts to report: { $receipts }.
cli-hub-ok = no error
cli-hub-queued = Queued for the province hub ({ $waiting } waiting to be sent); run loa hub sync to send.
cli-hub-synced = Synced: sent { $sent }, imported { $imported }, waiting for key trust { $held }, refused { $refused }, receipts { $receipts }.
