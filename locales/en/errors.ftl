## Errors (codes from the core: error-<code>)

error-db = Database error: { $detail }
error-io = Cannot access { $path }: { $detail }
error-no-data-dir = No data folder could be determined. Set LOA_DATA_DIR or use --data-dir.
error-schema-too-new = This data was written by a newer Loa Studio (schema { $found }; this version supports up to { $supported }). Please update the app.
error-not-found = { $what } not found (id { $id }).
error-invalid = { $field }: { $reason }.
error-data-file = { $line ->
    [none] Cannot read { $name }: { $detail }
   *[other] Cannot read { $name }, line { $line }: { $detail }
}
error-internal = Internal error: { $detail }

what-script = Script
what-station = Station
what-concept = Concept

field-title = Title
field-body = Text
field-user-name = User name
field-ui-lang = Interface language

reason-empty = must not be empty
reason-too-long = is too long
reason-unsupported = is not a supported value

what-revision = Revision

field-notes = Notes
field-target-seconds = Target duration
field-air-dates = Air dates
field-target-langs = Broadcast languages
field-status = Status
field-approver = Approver
field-date-range = Date range

reason-bad-date = is not a valid date (year-month-day)
reason-end-before-start = ends before it starts
reason-unknown = is not one of the known values
reason-transition = cannot move to that status from the current one
what-template = Template
field-template-name = Template name
reason-taken = is already used by another template
field-reading-rate = Reading rate
reason-out-of-range = is outside the allowed range
reason-rate-range = must be between 60 and 250 syllables a minute
what-reader = Reader
field-reader-name = Reader name
field-segment = Segment
what-language = language
what-segment = segment
field-language-code = Language code (ISO 639-3, three lower-case letters)
field-language-name = Language name
field-writing-system = Writing system
field-palette = Letter palette (one letter per key)
field-term-status = Term status
field-terms = Terms
field-term = Term
field-mapping = Column mapping
field-merge = Merge concepts
field-translation = Translation
field-format = File format
field-language = Language
reason-format = is not in the right form
reason-in-use = is in use
reason-no-terms = no column is mapped to a term
reason-same-concept = a concept cannot be merged with itself
reason-source-changed = the source segment changed; reopen the translation
reason-qa-errors = the quality check still finds errors
reason-same-as-source = is the source language
error-data-row = { $line ->
    [none] Cannot read { $name }: { $problem }{ $value }.
   *[other] Cannot read { $name }, line { $line }: { $problem }{ $value }.
}
problem-empty-file = the file has no data
problem-unknown-status = term status is not one of preferred, admitted, deprecated, forbidden
problem-no-term = the row has data but no term
problem-no-terms-in-file = the file has no terms in a language of the registry
problem-invalid-row = invalid data
problem-unknown-language = language not in the registry
problem-no-lang = the xml:lang attribute is missing
problem-no-term-text = a term entry has no <term>
problem-not-tbx = this is not a TBX file
error-cancelled = Cancelled.
problem-audio-empty = the file has no audio
problem-audio-unsupported = the audio format cannot be read
problem-audio-corrupt = the audio file is damaged
problem-audio-too-long = the audio is longer than allowed
field-target-lufs = Target loudness (LUFS)
field-true-peak = True peak (dBTP)
field-sample-rate = Sample rate
field-bitrate = Bitrate
field-audio = Audio
reason-silent = is only silence
problem-device-failed = the microphone cannot be used
field-microphone = Microphone
reason-none = no recording device was found
field-seconds = Seconds
what-take = take
field-take-name = Take name
field-recording = Recording
reason-busy = another take is being recorded
reason-not-running = has not started
problem-output-failed = the computer's speakers cannot be used
field-edit = Take edit
field-threshold = Silence threshold
reason-nothing-left = would leave nothing to play
reason-nothing-to-undo = has nothing left to undo
reason-nothing-to-redo = has nothing left to redo
field-file = File
field-model = Speech model
field-model-name = Model name
field-quantization = Quantization
reason-unreadable = cannot be read
problem-model-unreadable = is not a readable Whisper model
problem-model-write-failed = the model file could not be written
problem-transcription-failed = speech recognition failed
reason-none-installed = none is installed; import a Whisper model (loa model import, or Settings)
what-transcript = transcript
what-line = line
field-time = Time
reason-before-start = is before the line starts
field-transcript = Transcript
reason-untimed = has no timed lines yet
field-reading = Reading
field-script = Script
field-beam-size = Beam size
field-threads = Processing threads
reason-no-speech-model = has no speech model; time the lines by hand instead
what-model = model
