fn main() {
    // whisper.cpp's shared libraries: see crates/loa-cli/build.rs.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-Wl,-rpath,$ORIGIN:$ORIGIN/../lib/loa-studio");
        println!("cargo:rustc-link-arg-bins=-Wl,--disable-new-dtags");
    }
    tauri_build::build()
}
