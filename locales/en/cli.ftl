## The loa command line

cli-init-done = Initialized data in { $path } (schema version { $version }).
cli-demo-seeded = Loaded demo data: { $scripts } scripts, { $concepts } glossary concepts, { $stations } stations.
cli-demo-already = Demo data is already there; nothing loaded.
cli-error = Error: { $message }
cli-none = (none)
