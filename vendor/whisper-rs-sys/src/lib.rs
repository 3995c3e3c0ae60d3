#![allow(non_upper_case_globals)]
#![allow(non_camel_case_types)]
#![allow(non_snake_case)]
// Loa Studio: a path dependency's warnings are shown (and denied by clippy's
// -D warnings); generated bindings are not ours to fix.
#![allow(unknown_lints, unnecessary_transmutes, clippy::all)]

include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
