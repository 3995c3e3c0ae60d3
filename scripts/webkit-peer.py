#!/usr/bin/python3
"""The memory peer of scripts/measure-desktop.sh: the same WebKitGTK the app
runs on, in a window of the app's size, showing one line of text and nothing
else. What this costs is the engine's floor; what the app costs above it is
the app's own."""
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # noqa: E402

window = Gtk.Window(title="WebKitGTK peer")
window.set_default_size(1366, 768)
view = WebKit2.WebView()
window.add(view)
view.load_html("<p>Xin chào</p>", "about:blank")
window.connect("destroy", Gtk.main_quit)
window.show_all()
# The measuring script waits for this line, as it waits for the app's first paint.
view.connect("load-changed", lambda _v, e: e == WebKit2.LoadEvent.FINISHED and print("loaded", flush=True))
sys.exit(Gtk.main())
